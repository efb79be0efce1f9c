import {
  actionPattern,
  hexValue,
  instantPattern,
  maxActionLength,
  maxScopeLength,
  scopePattern,
} from '../../contracts/access-decide-body-check.js';
import { maxDecideQueries } from '../../contracts/access-decide-schemas.js';
import { instantMs } from './instant-ms.js';

// `POST /access/decide` bodies read straight from the request's bytes, in one pass (then the memos look up the
// batch's scopes and actions together): no JSON.parse, no object per question, a string made only for the ids and
// for what the memos do not know. It reads only the plain form clients send —
// strings of printable ASCII without escapes, each key once — and says "not sure" (undefined) for anything else,
// so the route then parses and checks as before and every refusal stays the schema's. What it accepts, JSON.parse
// and readAccessDecideBody (access-decide-body-check.ts) accept, with the same columns;
// decide-body-scanner.test.ts compares them on random and corrupted bodies.

const quote = 0x22;
const comma = 0x2c;
const colon = 0x3a;
const openBracket = 0x5b;
const closeBracket = 0x5d;
const openBrace = 0x7b;
const closeBrace = 0x7d;

/** 1 for JSON whitespace: space, tab, line feed, carriage return. */
const isSpace = new Uint8Array(256);
for (const c of [0x20, 0x09, 0x0a, 0x0d]) isSpace[c] = 1;

/**
 * 1 for a byte a string may hold as it is here: printable ASCII but the quote and the backslash. An escape, a
 * control character (invalid JSON) or a UTF-8 sequence is left to JSON.parse.
 */
const isPlain = new Uint8Array(256);
for (let c = 0x20; c < 0x80; c++) isPlain[c] = c === quote || c === 0x5c ? 0 : 1;

/** The keys of a question, by number. */
const queryKeys = ['principalId', 'roleDefinitionId', 'action', 'scope', 'at'] as const;
const principalKey = 0;
const roleKey = 1;
const actionKey = 2;
const scopeKey = 3;
const atKey = 4;

/**
 * Node's Buffer method behind `toString('latin1', start, end)` without its argument handling: the cheapest way
 * measured to make a 36-character string from bytes (45 ns; toString 52, asciiSlice 57, fromCharCode 170+). It
 * reads any Uint8Array.
 */
type Latin1Slice = (this: Uint8Array, start: number, end: number) => string;
const nodeLatin1Slice = (Buffer.prototype as unknown as { latin1Slice?: Latin1Slice }).latin1Slice;
const latin1Slice: Latin1Slice =
  nodeLatin1Slice ??
  function (this: Uint8Array, start: number, end: number) {
    return Buffer.from(this.buffer, this.byteOffset, this.byteLength).toString('latin1', start, end);
  };
const text = (bytes: Uint8Array, start: number, end: number): string => latin1Slice.call(bytes, start, end);

/** Node's `indexOf` of a byte (memchr), for any Uint8Array. */
const indexOf: (this: Uint8Array, byte: number, from: number) => number = Buffer.prototype.indexOf;

/**
 * Spellings of scopes and actions the route accepted before, recognised from the bytes that spell them without
 * making a string: into `out[k]`, what is known for `bytes[starts[k], ends[k])`, for `count` spellings at once
 * (undefined where unknown, or where `starts[k]` is -1). Each must recognise only spellings that passed the
 * schema's pattern, and only bytes of printable ASCII other than `"` and `\` (the string memo's `getManyBytes`):
 * the scanner does not check the bytes of a spelling recognised.
 */
export interface KnownBytes<S, A> {
  readonly scopes: ManyBytesLookup<S>;
  readonly actions: ManyBytesLookup<A>;
}
type ManyBytesLookup<H> = (
  bytes: Uint8Array,
  starts: Int32Array,
  ends: Int32Array,
  count: number,
  out: (H | undefined)[],
) => void;

/**
 * A batch read from a body's bytes, as columns (those of `AccessDecideColumns`, with the instants already in
 * epoch ms, NaN for an absent one). A class of its own: no JSON body parses into an instance of it, so the route's
 * validator knows it for what it is.
 */
export class ScannedDecideBatch<S, A> {
  readonly principalIds: string[];
  readonly roleIds: (string | undefined)[];
  readonly actions: (A | string)[];
  readonly scopes: (S | string)[];
  readonly ats: Float64Array;
  constructor(columns: Omit<ScannedDecideBatch<S, A>, 'ats'>, ats: Float64Array) {
    this.principalIds = columns.principalIds;
    this.roleIds = columns.roleIds;
    this.actions = columns.actions;
    this.scopes = columns.scopes;
    this.ats = ats;
  }
}

/** The index of the first byte from `i` that is not whitespace. */
function skipSpace(bytes: Uint8Array, i: number): number {
  const n = bytes.length;
  while (i < n && isSpace[bytes[i] as number] === 1) i++;
  return i;
}

/**
 * The index of the quote that ends the string whose first character is at `i`; -1 when a byte of it is not
 * plain (`isPlain`) or it does not end.
 */
function stringEnd(bytes: Uint8Array, i: number): number {
  const n = bytes.length;
  while (i < n && isPlain[bytes[i] as number] === 1) i++;
  return i < n && bytes[i] === quote ? i : -1;
}

/** Whether `bytes[start, end)` spell the ASCII `word`. */
function spells(bytes: Uint8Array, start: number, end: number, word: string): boolean {
  if (end - start !== word.length) return false;
  for (let k = 0; k < word.length; k++) if (bytes[start + k] !== word.charCodeAt(k)) return false;
  return true;
}

/**
 * The number of the question's key whose opening quote is at `i`, its closing quote included (it is then at
 * `i + 1 + queryKeys[key].length`); -1 for any other key. Told apart by their first letters, then compared.
 */
function keyAt(bytes: Uint8Array, i: number): number {
  let key: number;
  switch (bytes[i + 1]) {
    case 0x70: // p
      key = principalKey;
      break;
    case 0x72: // r
      key = roleKey;
      break;
    case 0x73: // s
      key = scopeKey;
      break;
    case 0x61: // a
      key = bytes[i + 2] === 0x74 ? atKey : actionKey;
      break;
    default:
      return -1;
  }
  const word = queryKeys[key] as string;
  for (let k = 1; k < word.length; k++) if (bytes[i + 1 + k] !== word.charCodeAt(k)) return -1;
  return bytes[i + 1 + word.length] === quote ? key : -1;
}

/** Each hex digit's value by byte (either case), -1 for any other byte. */
const hexByte = new Int8Array(256).fill(-1);
hexByte.set(hexValue);

/** Whether `bytes[from, to)` are hex digits. */
function hexDigits(bytes: Uint8Array, from: number, to: number): boolean {
  let bad = 0;
  // -1 (any bit set) for a byte that is not a hex digit.
  for (let k = from; k < to; k++) bad |= hexByte[bytes[k] as number] as number;
  return bad >= 0;
}

/**
 * The index of the quote that ends a GUID string whose first character is at `i` — the `guid` pattern, read
 * on the bytes as `isGuidText` reads it on a string: 36 hex digits and dashes, so plain — or -1.
 */
function guidEnd(bytes: Uint8Array, i: number): number {
  if (bytes[i + 36] !== quote) return -1;
  if (bytes[i + 8] !== 0x2d || bytes[i + 13] !== 0x2d || bytes[i + 18] !== 0x2d || bytes[i + 23] !== 0x2d)
    return -1;
  const hex =
    hexDigits(bytes, i, i + 8) &&
    hexDigits(bytes, i + 9, i + 13) &&
    hexDigits(bytes, i + 14, i + 18) &&
    hexDigits(bytes, i + 19, i + 23) &&
    hexDigits(bytes, i + 24, i + 36);
  return hex ? i + 36 : -1;
}

/** Days in each month, February's of a common year (a leap year's 29th is `isLeapYear`'s). */
const daysInMonth = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Gregorian, as the `instant` pattern spells it out (a year divisible by 4, centuries only by 400). */
const isLeapYear = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);

/**
 * Days from 1970-01-01 to the date (proleptic Gregorian, as Date.UTC counts; year ≥ 0), by H. Hinnant's
 * days_from_civil: arithmetic only, a fraction of Date.UTC's cost.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The value of the digit at `i`, or -100 when the byte is not a digit. */
function digit(bytes: Uint8Array, i: number): number {
  const d = (bytes[i] as number) - 48;
  return d >>> 0 <= 9 ? d : -100;
}

/** The value of the two digits at `i`, or -100 when either byte is not a digit. */
function two(bytes: Uint8Array, i: number): number {
  const a = (bytes[i] as number) - 48;
  const b = (bytes[i + 1] as number) - 48;
  return a >>> 0 <= 9 && b >>> 0 <= 9 ? a * 10 + b : -100;
}

/** The month whose first day `monthStartDays` holds (year · 16 + month), as instants in a batch share months. */
let cachedMonth = -1;
let monthStartDays = 0;

/**
 * Epoch ms of `YYYY-MM-DDThh:mm:ssZ` (`end - start` 20) or `YYYY-MM-DDThh:mm:ss.sssZ` (24) read from the bytes
 * — what `instantMs` gives for the string — when they are a valid instant the pattern accepts; NaN for any other
 * form or an invalid date, a year before 100 included (`instantMs` leaves those to Date.parse): the caller then
 * asks the pattern. Valid, they are digits and separators: plain.
 */
function commonInstantMs(bytes: Uint8Array, start: number, end: number): number {
  const n = end - start;
  const millis = n === 24 && bytes[start + 19] === 0x2e;
  if ((n !== 20 && !millis) || bytes[end - 1] !== 0x5a) return Number.NaN;
  if (bytes[start + 4] !== 0x2d || bytes[start + 7] !== 0x2d || bytes[start + 10] !== 0x54) return Number.NaN;
  if (bytes[start + 13] !== colon || bytes[start + 16] !== colon) return Number.NaN;
  const century = two(bytes, start);
  const yearOfCentury = two(bytes, start + 2);
  const month = two(bytes, start + 5);
  const day = two(bytes, start + 8);
  const hour = two(bytes, start + 11);
  const minute = two(bytes, start + 14);
  const second = two(bytes, start + 17);
  // The milliseconds: their first two digits, then the third.
  const msHigh = millis ? two(bytes, start + 20) : 0;
  const msLow = millis ? digit(bytes, start + 22) : 0;
  if ((century | yearOfCentury | hour | minute | second | msHigh | msLow) < 0) return Number.NaN;
  const ms = msHigh * 10 + msLow;
  const year = century * 100 + yearOfCentury;
  if (year < 100 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59)
    return Number.NaN;
  const days = month === 2 && isLeapYear(year) ? 29 : (daysInMonth[month - 1] as number);
  if (day > days) return Number.NaN;
  if (cachedMonth !== year * 16 + month) {
    cachedMonth = year * 16 + month;
    monthStartDays = daysFromCivil(year, month, 1);
  }
  return ((monthStartDays + day - 1) * 24 + hour) * 3_600_000 + minute * 60_000 + second * 1000 + ms;
}

/**
 * Where each question's scope and action are in the body (-1: no action), for the memos to look up the whole
 * batch at once once it is read.
 */
const scopeStarts = new Int32Array(maxDecideQueries);
const scopeEnds = new Int32Array(maxDecideQueries);
const actionStarts = new Int32Array(maxDecideQueries);
const actionEnds = new Int32Array(maxDecideQueries);

/** The instants of the batch being read (then copied: the batch outlives the next request's reading). */
const ats = new Float64Array(maxDecideQueries);

/**
 * The question being read: its principal, role and instant as the columns will hold them, where its scope and
 * action are (their lengths checked), set as each value is read; `seen` has a bit per key read.
 */
class QuestionReader {
  readonly bytes: Uint8Array;
  seen = 0;
  principalId = '';
  roleId: string | undefined = undefined;
  at = Number.NaN;
  scopeStart = 0;
  scopeEnd = 0;
  actionStart = -1;
  actionEnd = 0;
  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  /**
   * Reads the value of `key`, a string whose first character is at `i`: the index of its closing quote, or -1
   * when the schema refuses it or it is not plain (a scope or an action is checked once the batch is read).
   */
  value(key: number, i: number): number {
    const bytes = this.bytes;
    if (key === principalKey || key === roleKey) {
      const end = guidEnd(bytes, i);
      if (end < 0) return -1;
      if (key === principalKey) this.principalId = text(bytes, i, end);
      else this.roleId = text(bytes, i, end);
      return end;
    }
    if (key === atKey) return this.instant(i);
    // The closing quote found natively: the bytes before it are plain when a memo knows them, else checked.
    const end = indexOf.call(bytes, quote, i);
    if (end - i < 1) return -1;
    if (key === scopeKey) {
      if (end - i > maxScopeLength) return -1;
      this.scopeStart = i;
      this.scopeEnd = end;
    } else {
      if (end - i > maxActionLength) return -1;
      this.actionStart = i;
      this.actionEnd = end;
    }
    return end;
  }

  /** Reads the instant whose first character is at `i` into `at`, as `instantMs` gives it; as `value`. */
  private instant(i: number): number {
    const bytes = this.bytes;
    const ms =
      bytes[i + 20] === quote
        ? commonInstantMs(bytes, i, i + 20)
        : bytes[i + 24] === quote
          ? commonInstantMs(bytes, i, i + 24)
          : Number.NaN;
    if (!Number.isNaN(ms)) {
      this.at = ms;
      return bytes[i + 20] === quote ? i + 20 : i + 24;
    }
    const end = stringEnd(bytes, i);
    if (end < 0) return -1;
    const at = text(bytes, i, end);
    if (!instantPattern.test(at)) return -1;
    this.at = instantMs(at);
    return end;
  }

  /**
   * Reads the question whose `{` is at `i`: the index after its `}`, or -1 for anything unusual — a key not in
   * the schema or given twice, a value that is not a string, a string that is not plain — or a value the schema
   * refuses.
   */
  read(i: number): number {
    const bytes = this.bytes;
    this.seen = 0;
    this.roleId = undefined;
    this.at = Number.NaN;
    this.actionStart = -1;
    i = skipSpace(bytes, i + 1);
    if (bytes[i] === closeBrace) return i + 1;
    for (;;) {
      if (bytes[i] !== quote) return -1;
      const key = keyAt(bytes, i);
      if (key < 0 || (this.seen >> key) & 1) return -1;
      this.seen |= 1 << key;
      i = skipSpace(bytes, i + 2 + (queryKeys[key] as string).length);
      if (bytes[i] !== colon) return -1;
      i = skipSpace(bytes, i + 1);
      if (bytes[i] !== quote) return -1;
      const end = this.value(key, i + 1);
      if (end < 0) return -1;
      i = skipSpace(bytes, end + 1);
      if (bytes[i] === closeBrace) return i + 1;
      if (bytes[i] !== comma) return -1;
      i = skipSpace(bytes, i + 1);
    }
  }

  /** Whether the question read has what the schema requires: a principal, a scope, a role or an action. */
  complete(): boolean {
    const seen = this.seen;
    return (
      ((seen >> principalKey) & (seen >> scopeKey) & ((seen >> roleKey) ^ (seen >> actionKey)) & 1) === 1
    );
  }

  /** Adds the question read as the `k`th: its principal, role and instant, where its scope and action are. */
  addTo(k: number, principalIds: string[], roleIds: (string | undefined)[]): void {
    principalIds.push(this.principalId);
    roleIds.push(this.roleId);
    ats[k] = this.at;
    scopeStarts[k] = this.scopeStart;
    scopeEnds[k] = this.scopeEnd;
    actionStarts[k] = this.actionStart;
    actionEnds[k] = this.actionEnd;
  }
}

/**
 * The column of `count` spellings (scopes or actions; '' where `starts` has -1): what `lookUp` knows for each,
 * else the spelling when its bytes are plain and it matches `pattern`; undefined when one does not.
 */
function spellings<H>(
  bytes: Uint8Array,
  starts: Int32Array,
  ends: Int32Array,
  count: number,
  lookUp: ManyBytesLookup<H>,
  pattern: RegExp,
): (H | string)[] | undefined {
  const found: (H | undefined)[] = [];
  lookUp(bytes, starts, ends, count, found);
  const column: (H | string)[] = [];
  for (let k = 0; k < count; k++) {
    const start = starts[k] as number;
    const known = found[k];
    if (start < 0) column.push('');
    else if (known !== undefined) column.push(known);
    else {
      const end = ends[k] as number;
      if (stringEnd(bytes, start) !== end) return undefined;
      const spelling = text(bytes, start, end);
      if (!pattern.test(spelling)) return undefined;
      column.push(spelling);
    }
  }
  return column;
}

/**
 * The batch of a `POST /access/decide` body, read from its bytes, when it is `{"queries":[…]}` with 1 to
 * `maxDecideQueries` questions the schema accepts, every value a plain string (no escape, printable ASCII), each
 * key once; undefined for anything else — the caller then parses the body and asks the schema.
 */
export function scanDecideBody<S, A>(
  bytes: Uint8Array,
  known: KnownBytes<S, A>,
): ScannedDecideBatch<S, A> | undefined {
  let i = skipSpace(bytes, 0);
  if (bytes[i] !== openBrace) return undefined;
  i = skipSpace(bytes, i + 1);
  if (bytes[i] !== quote || !spells(bytes, i + 1, i + 8, 'queries') || bytes[i + 8] !== quote)
    return undefined;
  i = skipSpace(bytes, i + 9);
  if (bytes[i] !== colon) return undefined;
  i = skipSpace(bytes, i + 1);
  if (bytes[i] !== openBracket) return undefined;
  const question = new QuestionReader(bytes);
  const principalIds: string[] = [];
  const roleIds: (string | undefined)[] = [];
  let count = 0;
  i = skipSpace(bytes, i + 1);
  // An empty batch is left to the schema (its refusal).
  for (;;) {
    if (bytes[i] !== openBrace || count === maxDecideQueries) return undefined;
    i = question.read(i);
    if (i < 0 || !question.complete()) return undefined;
    question.addTo(count++, principalIds, roleIds);
    i = skipSpace(bytes, i);
    if (bytes[i] === closeBracket) break;
    if (bytes[i] !== comma) return undefined;
    i = skipSpace(bytes, i + 1);
  }
  // `queries` is the only key, so the object ends here; then only whitespace.
  i = skipSpace(bytes, i + 1);
  if (bytes[i] !== closeBrace || skipSpace(bytes, i + 1) !== bytes.length) return undefined;
  const scopes = spellings(bytes, scopeStarts, scopeEnds, count, known.scopes, scopePattern);
  const actions = scopes && spellings(bytes, actionStarts, actionEnds, count, known.actions, actionPattern);
  if (scopes === undefined || actions === undefined) return undefined;
  return new ScannedDecideBatch({ principalIds, roleIds, actions, scopes }, ats.slice(0, count));
}
