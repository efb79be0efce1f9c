import { describe, expect, it } from 'vitest';
import { ODataError } from './errors.js';
import { parseExpand } from './parse-expand.js';

const allowed = [
  'principal',
  'roleDefinition',
  'policy',
  'policy/rules',
  'policy/rules/target',
  'policy/effectiveRules',
];

function rejection(text: string, names: readonly string[] | undefined): ODataError {
  try {
    parseExpand(text, names);
  } catch (error) {
    expect(error).toBeInstanceOf(ODataError);
    return error as ODataError;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

describe('parseExpand', () => {
  describe('given valid $expand values', () => {
    it('when names are listed with loose spacing and any case, then they come back as the spec spells them', () => {
      expect(parseExpand(' Principal , ROLEDEFINITION', allowed)).toEqual([
        { name: 'principal' },
        { name: 'roleDefinition' },
      ]);
    });

    it('when a nested $select is given, then its names are returned', () => {
      expect(parseExpand('roleDefinition($select=displayName, id)', allowed)).toEqual([
        { name: 'roleDefinition', select: ['displayName', 'id'] },
      ]);
    });

    it('when a nested $expand is given, then it is checked against the nested path', () => {
      expect(parseExpand('policy($expand=rules)', allowed)).toEqual([
        { name: 'policy', expand: [{ name: 'rules' }] },
      ]);
    });

    it('when options combine and nest, then the whole tree is returned', () => {
      expect(
        parseExpand(
          'policy($select=id;$EXPAND=rules($select=id;$expand=target),effectiveRules),principal($select=id)',
          allowed,
        ),
      ).toEqual([
        {
          name: 'policy',
          select: ['id'],
          expand: [
            { name: 'rules', select: ['id'], expand: [{ name: 'target' }] },
            { name: 'effectiveRules' },
          ],
        },
        { name: 'principal', select: ['id'] },
      ]);
    });

    it("when '*' is allowed, then $expand=* is returned as the name '*'", () => {
      expect(parseExpand('*', ['*', 'alertDefinition'])).toEqual([{ name: '*' }]);
    });
  });

  describe('given invalid $expand values', () => {
    it.each<[string, string]>([
      [
        'manager',
        "Invalid $expand: 'manager' cannot be expanded on this resource; use one of: principal, roleDefinition, policy",
      ],
      [
        'policy($expand=owner)',
        "Invalid $expand: 'owner' cannot be expanded inside 'policy'; use one of: rules, effectiveRules",
      ],
      ['principal($expand=x)', "Invalid $expand: 'x' cannot be expanded inside 'principal'"],
      ['*', "'*' cannot be expanded on this resource"],
      ['principal,principal', "Invalid $expand: 'principal' appears more than once"],
      ['principal,,policy', "Invalid $expand: empty entry in 'principal,,policy'"],
      [' ', 'Invalid $expand: the value is empty; name one of: principal, roleDefinition, policy'],
      ['policy($expand=rules', "Invalid $expand: a '(' is never closed in 'policy($expand=rules'"],
      ['policy)', "Invalid $expand: unbalanced ')' at position 6 in 'policy)'"],
      [
        'policy/rules',
        "Invalid $expand: 'policy/rules' is not a navigation name optionally followed by options",
      ],
      [
        'policy($filter=x)',
        "Invalid $expand: '$filter=x' inside policy(…) is not supported; use $select=… and/or $expand=…",
      ],
      ['policy($select=id;$select=id)', "'$select=id' inside policy(…) is not supported"],
      ['policy($select=)', "'$select=' inside policy(…) is not supported"],
      ['policy($top=1)', "'$top=1' inside policy(…) is not supported"],
      [
        'policy( )',
        'Invalid $expand: policy() has empty parentheses; put $select=… or $expand=… inside or drop them',
      ],
      [
        'roleDefinition($select=display-name)',
        "Invalid $expand: 'display-name' in roleDefinition($select=…) is not a property name",
      ],
      [
        'roleDefinition($select=a,,b)',
        'Invalid $expand: an empty name in roleDefinition($select=…) is not a property name',
      ],
      ['policy($expand=rules($expand=))', "'$expand=' inside rules(…) is not supported"],
    ])('when given %j, then it throws ODataError saying %j', (text, message) => {
      expect(rejection(text, allowed).message).toContain(message);
    });

    it('when the resource has no navigations, then $expand itself is refused', () => {
      expect(rejection('principal', undefined).message).toBe(
        'Invalid $expand: this resource has no navigation properties to expand',
      );
      expect(rejection('principal', []).message).toContain('no navigation properties');
    });

    it('when expansions nest deeper than four levels, then it is refused', () => {
      const deep = ['a', 'a/a', 'a/a/a', 'a/a/a/a', 'a/a/a/a/a'];
      expect(parseExpand('a($expand=a($expand=a($expand=a)))', deep)).toHaveLength(1);
      expect(rejection('a($expand=a($expand=a($expand=a($expand=a))))', deep).message).toBe(
        'Invalid $expand: nesting deeper than 4 levels is not supported',
      );
    });
  });
});
