/**
 * The one text a value hashes as: object keys sorted (by UTF-16 code unit, recursively), no whitespace,
 * Dates as ISO 8601 with `Z`, `undefined` properties dropped (in arrays they become `null`, as in JSON).
 * Two values that a JSON round trip (e.g. through `jsonb`, which reorders keys) makes equal give the same text.
 * Throws on what JSON cannot hold exactly: non-finite numbers, bigints, functions, symbols, invalid Dates, cycles.
 */
export function canonicalJson(value: unknown): string {
  return write(value, new Set());
}

function write(value: unknown, ancestors: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} has no JSON form`);
      return JSON.stringify(value);
    case 'object':
      return writeObject(value, ancestors);
    default:
      throw new TypeError(`canonicalJson: a ${typeof value} has no JSON form`);
  }
}

function writeObject(value: object, ancestors: Set<object>): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError('canonicalJson: an invalid Date has no JSON form');
    return JSON.stringify(value.toISOString());
  }
  if (ancestors.has(value)) throw new TypeError('canonicalJson: the value contains a cycle');
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      const items = value.map((item: unknown) => (item === undefined ? 'null' : write(item, ancestors)));
      return `[${items.join(',')}]`;
    }
    const members: string[] = [];
    for (const key of Object.keys(value).sort()) {
      const member: unknown = (value as Record<string, unknown>)[key];
      if (member !== undefined) members.push(`${JSON.stringify(key)}:${write(member, ancestors)}`);
    }
    return `{${members.join(',')}}`;
  } finally {
    ancestors.delete(value);
  }
}
