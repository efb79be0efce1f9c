import { describe, expect, it } from 'vitest';
import { defaultOperations, findKey } from './list-spec.js';

describe('findKey', () => {
  const record = { principalId: 1, PrincipalID: 2, 'scheduleInfo/startDateTime': 3 };

  it('given an exact match, when looked up, then it wins over a case-insensitive one', () => {
    expect(findKey(record, 'PrincipalID')).toBe('PrincipalID');
  });

  it('given a name in another case, when looked up, then the first key equal ignoring case is returned', () => {
    expect(findKey(record, 'PRINCIPALID')).toBe('principalId');
    expect(findKey(record, 'scheduleinfo/STARTDATETIME')).toBe('scheduleInfo/startDateTime');
  });

  it('given an inherited name, when looked up, then it is not found', () => {
    expect(findKey(record, 'constructor')).toBeUndefined();
    expect(findKey(record, '__proto__')).toBeUndefined();
  });
});

describe('defaultOperations', () => {
  it.each([
    ['string', ['eq', 'ne', 'in', 'startswith', 'null']],
    ['guid', ['eq', 'ne', 'in', 'null']],
    ['enum', ['eq', 'ne', 'in', 'null']],
    ['datetime', ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'null']],
    ['number', ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'in', 'null']],
    ['boolean', ['eq', 'ne', 'null']],
  ] as const)('given a %s field without ops, when defaulted, then it allows %j', (type, ops) => {
    expect(defaultOperations(type)).toEqual(ops);
  });
});
