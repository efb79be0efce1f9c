import { describe, expect, it } from 'vitest';
import { ODataError } from './errors.js';
import { tokenizeFilter } from './tokenize-filter.js';

describe('tokenizeFilter', () => {
  it('given a comparison, when tokenized, then each token carries its kind, text and position', () => {
    expect(tokenizeFilter("principalId eq 'O''Brien'")).toEqual([
      { kind: 'identifier', text: 'principalId', position: 0 },
      { kind: 'identifier', text: 'eq', position: 12 },
      { kind: 'string', text: "'O''Brien'", position: 15, value: "O'Brien" },
      { kind: 'end', text: '', position: 25 },
    ]);
  });

  it('given a GUID that starts with letters, when tokenized, then it is one guid token, not an identifier', () => {
    expect(tokenizeFilter('fe930be7-5e62-47db-91af-98c3a49a38b1)')).toEqual([
      { kind: 'guid', text: 'fe930be7-5e62-47db-91af-98c3a49a38b1', position: 0 },
      { kind: 'punctuation', text: ')', position: 36 },
      { kind: 'end', text: '', position: 37 },
    ]);
  });

  it('given date-times, numbers and punctuation, when tokenized, then each is recognised', () => {
    const kinds = tokenizeFilter("a/any(t:t ge 2024-01-01T00:00:00z,-3.5e2,'')").map((token) => token.kind);
    expect(kinds).toEqual([
      'identifier',
      'punctuation',
      'identifier',
      'punctuation',
      'identifier',
      'punctuation',
      'identifier',
      'identifier',
      'datetime',
      'punctuation',
      'number',
      'punctuation',
      'string',
      'punctuation',
      'end',
    ]);
  });

  it('given whitespace of any kind, when tokenized, then it only separates tokens', () => {
    expect(tokenizeFilter('\t a \n\r eq\u00a01').map((token) => token.text)).toEqual(['a', 'eq', '1', '']);
  });

  it('given a character outside the grammar, when tokenized, then it throws ODataError naming it', () => {
    expect(() => tokenizeFilter('a eq 1 ; b')).toThrow(
      new ODataError("Invalid $filter: unexpected character ';' at position 7"),
    );
  });
});
