import { ODataError } from './errors.js';

/** One `$expand` entry, e.g. `roleDefinition($select=displayName)` or `policy($expand=rules)`. */
export interface ExpandItem {
  readonly name: string;
  readonly select?: readonly string[];
  readonly expand?: readonly ExpandItem[];
}

const maxExpandDepth = 4;
const itemPattern = /^([A-Za-z_]\w*|\*)\s*(?:\(([\s\S]*)\))?$/;
const namePattern = /^[A-Za-z_]\w*$/;

/**
 * Parses `$expand` (comma-separated navigation names, each optionally followed by `($select=…;$expand=…)`)
 * and checks every name against `allowed`, where a nested name is listed as a path (`policy/rules`). Names
 * are matched ignoring case and returned as `allowed` spells them. Nested `$select` names are checked for
 * syntax only: the expanded entity's own shape decides what they keep. Throws ODataError.
 */
export function parseExpand(text: string, allowed: readonly string[] | undefined): ExpandItem[] {
  if (allowed === undefined || allowed.length === 0) {
    throw new ODataError('Invalid $expand: this resource has no navigation properties to expand');
  }
  if (text.trim() === '') {
    const names = allowed.filter((name) => !name.includes('/')).join(', ');
    throw new ODataError(`Invalid $expand: the value is empty; name one of: ${names}`);
  }
  return parseItems(text, allowed, '', 1);
}

function parseItems(text: string, allowed: readonly string[], parent: string, depth: number): ExpandItem[] {
  if (depth > maxExpandDepth) {
    throw new ODataError(`Invalid $expand: nesting deeper than ${maxExpandDepth} levels is not supported`);
  }
  const items: ExpandItem[] = [];
  for (const part of splitTopLevel(text, ',')) {
    const match = itemPattern.exec(part);
    if (match === null) {
      throw new ODataError(
        `Invalid $expand: '${part}' is not a navigation name optionally followed by options in parentheses, ` +
          'e.g. roleDefinition($select=displayName)',
      );
    }
    const name = allowedName(match[1]!, allowed, parent);
    if (items.some((item) => item.name === name)) {
      throw new ODataError(`Invalid $expand: '${name}' appears more than once`);
    }
    const options = match[2];
    if (options?.trim() === '') {
      throw new ODataError(
        `Invalid $expand: ${name}() has empty parentheses; put $select=… or $expand=… inside or drop them`,
      );
    }
    items.push(options === undefined ? { name } : parseOptions(name, options, allowed, parent, depth));
  }
  return items;
}

function parseOptions(
  name: string,
  text: string,
  allowed: readonly string[],
  parent: string,
  depth: number,
): ExpandItem {
  let select: string[] | undefined;
  let expand: ExpandItem[] | undefined;
  for (const option of splitTopLevel(text, ';')) {
    const equals = option.indexOf('=');
    const key = (equals < 0 ? option : option.slice(0, equals)).trim().toLowerCase();
    const value = equals < 0 ? '' : option.slice(equals + 1).trim();
    if (key === '$select' && select === undefined && value !== '') {
      select = value.split(',').map((entry) => selectName(entry.trim(), name));
    } else if (key === '$expand' && expand === undefined && value !== '') {
      expand = parseItems(value, allowed, `${parent}${name}/`, depth + 1);
    } else {
      throw new ODataError(
        `Invalid $expand: '${option}' inside ${name}(…) is not supported; ` +
          'use $select=… and/or $expand=… once each, separated by ;',
      );
    }
  }
  return { name, ...(select && { select }), ...(expand && { expand }) };
}

function allowedName(name: string, allowed: readonly string[], parent: string): string {
  const path = `${parent}${name}`.toLowerCase();
  const found = allowed.find((entry) => entry.toLowerCase() === path);
  if (found !== undefined) return found.slice(parent.length);
  const siblings = allowed
    .filter((entry) => entry.toLowerCase().startsWith(parent.toLowerCase()))
    .map((entry) => entry.slice(parent.length))
    .filter((entry) => !entry.includes('/'));
  const where = parent === '' ? 'on this resource' : `inside '${parent.slice(0, -1)}'`;
  const hint = siblings.length > 0 ? `; use one of: ${siblings.join(', ')}` : '';
  throw new ODataError(`Invalid $expand: '${name}' cannot be expanded ${where}${hint}`);
}

function selectName(entry: string, parent: string): string {
  if (!namePattern.test(entry) && entry !== '*') {
    const what = entry === '' ? 'an empty name' : `'${entry}'`;
    throw new ODataError(`Invalid $expand: ${what} in ${parent}($select=…) is not a property name`);
  }
  return entry;
}

/** Splits on `separator` outside parentheses; every part is trimmed and must be non-empty. */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let at = 0; at <= text.length; at += 1) {
    const char = text[at];
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    if (depth < 0) throw new ODataError(`Invalid $expand: unbalanced ')' at position ${at} in '${text}'`);
    if ((char === separator && depth === 0) || char === undefined) {
      const part = text.slice(start, at).trim();
      if (part === '') throw new ODataError(`Invalid $expand: empty entry in '${text}'`);
      parts.push(part);
      start = at + 1;
    }
  }
  if (depth > 0) throw new ODataError(`Invalid $expand: a '(' is never closed in '${text}'`);
  return parts;
}
