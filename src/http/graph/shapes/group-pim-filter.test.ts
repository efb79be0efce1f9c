import { describe, expect, it } from 'vitest';
import { parseFilter } from '../odata/index.js';
import { mandatoryGroupFilter } from './group-pim-filter.js';

const g = '2b5ed229-4072-478d-9504-a047ebd4b07d';
const p = '3cce9d87-3986-4f19-8335-7ed075408ca2';

describe('mandatoryGroupFilter', () => {
  it('given groupId eq, then the list is narrowed to the group', () => {
    expect(mandatoryGroupFilter(parseFilter(`groupId eq '${g.toUpperCase()}'`))).toEqual({ groupId: g });
  });

  it('given principalId eq joined with other conditions by and, then both narrowings are kept', () => {
    expect(
      mandatoryGroupFilter(
        parseFilter(`status eq 'Provisioned' and principalId eq '${p}' and groupId eq '${g}'`),
      ),
    ).toEqual({ groupId: g, principalId: p });
  });

  it.each([
    ['no filter', undefined],
    ['another property', parseFilter("status eq 'Provisioned'")],
    ['an or', parseFilter(`groupId eq '${g}' or principalId eq '${p}'`)],
    ['ne', parseFilter(`groupId ne '${g}'`)],
  ])('given %s, then it is refused naming the required filter', (_, filter) => {
    expect(() => mandatoryGroupFilter(filter)).toThrow(/requires \$filter=groupId eq/);
  });
});
