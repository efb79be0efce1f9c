import { ODataError } from './errors.js';

export type Token =
  | {
      readonly kind: 'identifier' | 'punctuation' | 'guid' | 'datetime' | 'end';
      readonly text: string;
      readonly position: number;
    }
  | { readonly kind: 'string'; readonly text: string; readonly position: number; readonly value: string }
  | { readonly kind: 'number'; readonly text: string; readonly position: number; readonly value: number };

const guidPattern = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![\w.:-])/y;
const dateTimePattern =
  /(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,12})?)?([Zz]|[+-]\d{2}:\d{2})?)?(?![\w.:-])/y;
const numberPattern = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w.:-])/y;
const identifierPattern = /[A-Za-z_][\w]*/y;
const badLiteralPattern = /[^\s(),/]+/y;
const punctuation = new Set(['(', ')', ',', '/', ':']);

/** Splits a `$filter` expression into tokens; the last token is always `end`. Throws ODataError. */
export function tokenizeFilter(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    const char = text[at]!;
    if (/\s/.test(char)) {
      at += 1;
      continue;
    }
    const token = readToken(text, at, char);
    tokens.push(token);
    at += token.text.length;
  }
  tokens.push({ kind: 'end', text: '', position: text.length });
  return tokens;
}

function readToken(text: string, at: number, char: string): Token {
  if (char === "'") return readString(text, at);
  if (punctuation.has(char)) return { kind: 'punctuation', text: char, position: at };
  const guid = matchAt(guidPattern, text, at);
  if (guid) return { kind: 'guid', text: guid[0], position: at };
  const dateTime = matchAt(dateTimePattern, text, at);
  if (dateTime) return { kind: 'datetime', text: checkDateTime(dateTime, at), position: at };
  const number = matchAt(numberPattern, text, at);
  if (number) return { kind: 'number', text: number[0], position: at, value: Number(number[0]) };
  if (/[\d-]/.test(char)) {
    const bad = matchAt(badLiteralPattern, text, at)?.[0] ?? char;
    throw new ODataError(
      `Invalid $filter: '${bad}' at position ${at} is not a valid number, date-time or GUID; ` +
        'write date-times as 2024-01-01T00:00:00Z and GUIDs as 071cc716-8147-4397-a5ba-b2105951cc0b',
    );
  }
  const identifier = matchAt(identifierPattern, text, at);
  if (identifier) return { kind: 'identifier', text: identifier[0], position: at };
  const hint = char === '"' ? "; quote strings with single quotes, e.g. status eq 'Granted'" : '';
  throw new ODataError(`Invalid $filter: unexpected character '${char}' at position ${at}${hint}`);
}

function matchAt(pattern: RegExp, text: string, at: number): RegExpExecArray | null {
  pattern.lastIndex = at;
  return pattern.exec(text);
}

function readString(text: string, start: number): Token {
  let value = '';
  let at = start + 1;
  while (at < text.length) {
    const char = text[at]!;
    if (char === "'") {
      if (text[at + 1] !== "'") {
        return { kind: 'string', text: text.slice(start, at + 1), position: start, value };
      }
      value += "'";
      at += 2;
    } else {
      value += char;
      at += 1;
    }
  }
  throw new ODataError(
    `Invalid $filter: the string starting at position ${start} has no closing quote; ` +
      "write a quote inside a string as two quotes, e.g. 'O''Brien'",
  );
}

function checkDateTime(match: RegExpExecArray, at: number): string {
  const [text, year, month, day, hour, minute, second, zone] = match;
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  const daysInMonth = m === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
  const timeOk = hour === undefined || (Number(hour) < 24 && Number(minute) < 60 && Number(second ?? 0) < 60);
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth || !timeOk) {
    throw new ODataError(`Invalid $filter: '${text}' at position ${at} is not a valid date-time`);
  }
  if (hour !== undefined && zone === undefined) {
    throw new ODataError(
      `Invalid $filter: the date-time '${text}' at position ${at} has no time zone; ` +
        `end it with Z (UTC) or an offset, e.g. ${text}Z (send a '+' in a URL as %2B)`,
    );
  }
  return text;
}
