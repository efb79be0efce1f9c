import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AuditEntry, AuditRecord } from './audit-record.js';
import {
  chainEntries,
  chainEntry,
  type Digest,
  GENESIS_HASH,
  hashedText,
  verifyChain,
} from './hash-chain.js';

/** A pure, deterministic 256-bit digest for tests (core cannot import node:crypto): eight seeded FNV-1a lanes. */
const testDigest: Digest = (text) => {
  let out = '';
  for (let lane = 0; lane < 8; lane++) {
    let h = (0x811c9dc5 ^ Math.imul(lane + 1, 0x9e3779b1)) >>> 0;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    out += h.toString(16).padStart(8, '0');
  }
  return out;
};

const record = (n: number, overrides: Partial<AuditRecord> = {}): AuditRecord => ({
  id: `00000000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`,
  activityDateTime: new Date(Date.UTC(2026, 10, 23, 9, 0, n)),
  category: 'RoleManagement',
  activityDisplayName: 'Add member to role completed (PIM activation)',
  operationType: 'Add',
  result: 'success',
  resultReason: null,
  loggedByService: 'PIM',
  correlationId: null,
  initiatedBy: { user: { id: 'u-1', displayName: 'Ada', userPrincipalName: 'ada@example.com' } },
  targetResources: [
    { id: 'role-1', displayName: 'User Administrator', type: 'Role', modifiedProperties: [] },
    {
      id: 'u-1',
      displayName: 'Ada',
      type: 'User',
      userPrincipalName: 'ada@example.com',
      modifiedProperties: [],
    },
  ],
  additionalDetails: [{ key: 'Justification', value: `ticket ${n}` }],
  ...overrides,
});

const chainOf = (count: number): AuditEntry[] =>
  chainEntries(
    Array.from({ length: count }, (_, i) => record(i + 1)),
    testDigest,
  );

describe('chainEntry', () => {
  it('hashes the canonical JSON of { sequence, previousHash, ...record }', () => {
    const r = record(1);
    const entry = chainEntry(r, 1, GENESIS_HASH, testDigest);
    expect(entry).toMatchObject({ ...r, sequence: 1, previousHash: GENESIS_HASH });
    expect(entry.hash).toBe(testDigest(hashedText(r, 1, GENESIS_HASH)));
    expect(hashedText(r, 1, GENESIS_HASH)).toMatch(/^\{"activityDateTime":"2026-11-23T09:00:01.000Z",/);
  });

  it('starts at sequence 1 from a genesis hash of 64 zeros and links each entry to the one before', () => {
    const [first, second] = chainOf(2);
    expect(GENESIS_HASH).toBe('0'.repeat(64));
    expect(first).toMatchObject({ sequence: 1, previousHash: GENESIS_HASH });
    expect(second).toMatchObject({ sequence: 2, previousHash: first!.hash });
  });

  it('ignores properties that are not part of an audit record', () => {
    const r = record(1);
    const withExtra = { ...r, extra: 'not hashed' } as AuditRecord;
    expect(chainEntry(withExtra, 1, GENESIS_HASH, testDigest).hash).toBe(
      chainEntry(r, 1, GENESIS_HASH, testDigest).hash,
    );
  });

  it('gives the same hash after a JSON round trip that reorders keys (as jsonb does)', () => {
    const r = record(1);
    const roundTripped: AuditRecord = {
      ...r,
      initiatedBy: JSON.parse(
        JSON.stringify({ user: { userPrincipalName: 'ada@example.com', displayName: 'Ada', id: 'u-1' } }),
      ),
    };
    expect(chainEntry(roundTripped, 1, GENESIS_HASH, testDigest).hash).toBe(
      chainEntry(r, 1, GENESIS_HASH, testDigest).hash,
    );
  });
});

describe('verifyChain', () => {
  it('accepts an intact chain and reports its count and last hash', () => {
    const entries = chainOf(5);
    expect(verifyChain(entries, testDigest)).toEqual({
      ok: true,
      count: 5,
      lastHash: entries[4]!.hash,
      lastSequence: 5,
    });
  });

  it('accepts an empty log', () => {
    expect(verifyChain([], testDigest)).toEqual({
      ok: true,
      count: 0,
      lastHash: GENESIS_HASH,
      lastSequence: 0,
    });
  });

  it('names the record whose field was changed (hash mismatch)', () => {
    const entries = chainOf(5);
    entries[2] = { ...entries[2]!, resultReason: 'edited afterwards' };
    expect(verifyChain(entries, testDigest)).toEqual({
      ok: false,
      count: 2,
      brokenAt: 3,
      id: entries[2]!.id,
      reason: 'hash mismatch',
    });
  });

  it('names the next record when a changed record was re-hashed (broken link)', () => {
    const entries = chainOf(5);
    const tampered = { ...entries[2]!, resultReason: 'edited' };
    entries[2] = chainEntry(tampered, 3, tampered.previousHash, testDigest);
    expect(verifyChain(entries, testDigest)).toMatchObject({ ok: false, brokenAt: 4, reason: 'broken link' });
  });

  it('names the record after a deleted one (sequence gap)', () => {
    const entries = chainOf(5);
    entries.splice(1, 1);
    expect(verifyChain(entries, testDigest)).toMatchObject({
      ok: false,
      count: 1,
      brokenAt: 3,
      reason: 'sequence gap',
    });
  });

  it('names the record after a deleted one when the sequences were renumbered (broken link)', () => {
    const entries = chainOf(5);
    entries.splice(1, 1);
    const renumbered = entries.map((e, i) => ({ ...e, sequence: i + 1 }));
    expect(verifyChain(renumbered, testDigest)).toMatchObject({
      ok: false,
      brokenAt: 2,
      reason: 'broken link',
    });
  });

  it('detects two records swapped', () => {
    const entries = chainOf(5);
    [entries[1], entries[2]] = [entries[2]!, entries[1]!];
    expect(verifyChain(entries, testDigest)).toMatchObject({
      ok: false,
      brokenAt: 3,
      reason: 'sequence gap',
    });
  });

  it('detects a deleted first record and a deleted last one against a known head', () => {
    const entries = chainOf(3);
    expect(verifyChain(entries.slice(1), testDigest)).toMatchObject({
      ok: false,
      brokenAt: 2,
      reason: 'sequence gap',
    });
    const truncated = verifyChain(entries.slice(0, 2), testDigest);
    expect(truncated.ok && truncated.lastHash).not.toBe(entries[2]!.hash);
  });

  it('continues page by page from the previous page’s position', () => {
    const entries = chainOf(7);
    const first = verifyChain(entries.slice(0, 3), testDigest);
    if (!first.ok) throw new Error('first page should verify');
    // Counts are per call: the caller adds them up.
    expect(verifyChain(entries.slice(3), testDigest, first)).toEqual({
      ...verifyChain(entries, testDigest),
      count: 4,
    });
    const wrongStart = { lastSequence: 3, lastHash: GENESIS_HASH };
    expect(verifyChain(entries.slice(3), testDigest, wrongStart)).toMatchObject({
      ok: false,
      brokenAt: 4,
      reason: 'broken link',
    });
  });

  it('works on any iterable, read once', () => {
    const entries = chainOf(4);
    function* once() {
      yield* entries;
    }
    expect(verifyChain(once(), testDigest)).toMatchObject({ ok: true, count: 4 });
  });
});

// ---- properties --------------------------------------------------------------------------------------

const text = fc.string({ maxLength: 20 });
const modifiedProperty = fc.record({
  displayName: text,
  oldValue: fc.option(text, { nil: null }),
  newValue: fc.option(text, { nil: null }),
});
const targetResource = fc.record(
  {
    id: fc.uuid(),
    displayName: text,
    type: fc.constantFrom('Role', 'User', 'Group', 'ServicePrincipal', 'Policy', 'Request', 'Other'),
    userPrincipalName: text,
    modifiedProperties: fc.array(modifiedProperty, { maxLength: 3 }),
  },
  { requiredKeys: ['id', 'displayName', 'type', 'modifiedProperties'] },
);
const auditRecord: fc.Arbitrary<AuditRecord> = fc.record({
  id: fc.uuid(),
  activityDateTime: fc.date({
    min: new Date('2000-01-01T00:00:00Z'),
    max: new Date('2100-01-01T00:00:00Z'),
    noInvalidDate: true,
  }),
  category: fc.constantFrom('RoleManagement', 'GroupManagement', 'ResourceManagement', 'UserManagement'),
  activityDisplayName: text,
  operationType: fc.constantFrom('Add', 'Assign', 'Update', 'Unassign', 'Delete', 'Other'),
  result: fc.constantFrom('success', 'failure'),
  resultReason: fc.option(text, { nil: null }),
  loggedByService: fc.constantFrom('PIM', 'Core Directory', 'Authentication'),
  correlationId: fc.option(fc.uuid(), { nil: null }),
  initiatedBy: fc.record(
    {
      user: fc.record({
        id: fc.uuid(),
        displayName: text,
        userPrincipalName: fc.option(text, { nil: null }),
      }),
      app: fc.record({ appId: fc.uuid(), displayName: text, servicePrincipalId: fc.uuid() }),
    },
    { requiredKeys: [] },
  ),
  targetResources: fc.array(targetResource, { maxLength: 3 }),
  additionalDetails: fc.array(fc.record({ key: text, value: text }), { maxLength: 3 }),
});

/** Changes one field of an entry to a different value. */
const tamperings: ((e: AuditEntry) => AuditEntry)[] = [
  (e) => ({ ...e, activityDisplayName: `${e.activityDisplayName}!` }),
  (e) => ({ ...e, activityDateTime: new Date(e.activityDateTime.getTime() + 1) }),
  (e) => ({ ...e, result: e.result === 'success' ? 'failure' : 'success' }),
  (e) => ({ ...e, resultReason: e.resultReason === null ? '' : null }),
  (e) => ({ ...e, additionalDetails: [...e.additionalDetails, { key: 'Injected', value: 'x' }] }),
  (e) => ({
    ...e,
    targetResources: e.targetResources
      .slice(1)
      .concat(
        e.targetResources.length
          ? []
          : [{ id: 'x', displayName: 'x', type: 'Other', modifiedProperties: [] }],
      ),
  }),
  (e) => ({
    ...e,
    initiatedBy: e.initiatedBy.user ? {} : { user: { id: 'x', displayName: 'x', userPrincipalName: null } },
  }),
  (e) => ({ ...e, hash: e.hash.replace(/^./, (c) => (c === '0' ? '1' : '0')) }),
  (e) => ({ ...e, previousHash: e.previousHash.replace(/^./, (c) => (c === '0' ? '1' : '0')) }),
  (e) => ({ ...e, sequence: e.sequence + 1 }),
];

describe('hash chain properties', () => {
  it('any sequence of records chains and verifies', () => {
    fc.assert(
      fc.property(fc.array(auditRecord, { maxLength: 15 }), (records) => {
        const entries = chainEntries(records, testDigest);
        expect(entries.map((e) => e.sequence)).toEqual(records.map((_, i) => i + 1));
        expect(verifyChain(entries, testDigest)).toMatchObject({ ok: true, count: records.length });
      }),
    );
  });

  it('changing any one entry in any way breaks the chain at exactly that entry', () => {
    fc.assert(
      fc.property(
        fc.array(auditRecord, { minLength: 1, maxLength: 12 }),
        fc.nat(),
        fc.nat({ max: tamperings.length - 1 }),
        (records, at, how) => {
          const entries = chainEntries(records, testDigest);
          const index = at % entries.length;
          entries[index] = tamperings[how]!(entries[index]!);
          const result = verifyChain(entries, testDigest);
          expect(result).toMatchObject({
            ok: false,
            count: index,
            brokenAt: entries[index]!.sequence,
            id: entries[index]!.id,
          });
        },
      ),
    );
  });
});
