import { ODataError } from './errors.js';
import type { Literal } from './filter-ast.js';
import type { FieldSpec } from './list-spec.js';

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `text` is a GUID in its 8-4-4-4-12 hexadecimal form. */
export function isGuid(text: string): boolean {
  return guidPattern.test(text);
}

/**
 * Checks that a literal fits a property's type and returns it in canonical form: GUIDs lower-cased (quoted
 * or not), enum values in the spelling the spec lists, an unquoted GUID on a string property as a string.
 * `null` passes through; whether the property accepts null is the caller's decision. Throws ODataError.
 */
export function coerceLiteral(
  field: Pick<FieldSpec, 'type' | 'values'>,
  literal: Literal,
  path: string,
): Literal {
  if (literal.type === 'null') return literal;
  const wrongType = (expectation: string) =>
    new ODataError(`Invalid $filter: property '${path}' ${expectation}, not ${showLiteral(literal)}`);
  switch (field.type) {
    case 'string':
      if (literal.type === 'string' || literal.type === 'guid')
        return { type: 'string', value: literal.value };
      throw wrongType("is a string; compare it with a quoted value such as 'text'");
    case 'guid':
      if ((literal.type === 'string' || literal.type === 'guid') && isGuid(literal.value)) {
        return { type: 'guid', value: literal.value.toLowerCase() };
      }
      throw wrongType("holds a GUID; compare it with one such as '071cc716-8147-4397-a5ba-b2105951cc0b'");
    case 'datetime':
      if (literal.type === 'datetime') return literal;
      throw wrongType(
        'is a date-time; compare it with an unquoted ISO 8601 value such as 2024-01-01T00:00:00Z',
      );
    case 'boolean':
      if (literal.type === 'boolean') return literal;
      throw wrongType('is true or false');
    case 'number':
      if (literal.type === 'number') return literal;
      throw wrongType('is a number; compare it with an unquoted number such as 5');
    case 'enum': {
      const values = field.values ?? [];
      const wanted = literal.type === 'string' ? literal.value.toLowerCase() : undefined;
      const canonical = values.find((value) => value.toLowerCase() === wanted);
      if (canonical !== undefined) return { type: 'string', value: canonical };
      if (values.length === 0) throw wrongType('lists no values it can be compared with');
      throw wrongType(`takes one of ${values.map((value) => `'${value}'`).join(', ')}`);
    }
  }
}

/** A literal written back the way OData spells it, for error messages. */
export function showLiteral(literal: Literal): string {
  switch (literal.type) {
    case 'string':
      return `'${literal.value.replaceAll("'", "''")}'`;
    case 'null':
      return 'null';
    default:
      return String(literal.value);
  }
}
