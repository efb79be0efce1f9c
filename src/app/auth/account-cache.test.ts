import { describe, expect, it } from 'vitest';
import { type AccountRow, createAccountCache } from './account-cache.js';
import { createVerifiedTokens } from './verified-tokens.js';

describe('the account cache', () => {
  function world() {
    const rows = new Map<string, AccountRow>([['u1', { displayName: 'U1', accountEnabled: true }]]);
    let generation = 0;
    let reads = 0;
    let during: (() => void) | undefined;
    const account = createAccountCache(
      async (_type, id) => {
        reads++;
        const row = rows.get(id);
        during?.();
        return row;
      },
      () => generation,
    );
    return {
      account,
      rows,
      reads: () => reads,
      commit: () => generation++,
      duringRead: (f: (() => void) | undefined) => {
        during = f;
      },
    };
  }

  it('reads an account once while nothing changes, again after any change', async () => {
    const w = world();
    expect(await w.account('user', 'u1')).toEqual({ displayName: 'U1', accountEnabled: true });
    await w.account('user', 'u1');
    expect(w.reads()).toBe(1);
    w.rows.set('u1', { displayName: 'U1', accountEnabled: false });
    w.commit();
    expect((await w.account('user', 'u1'))?.accountEnabled).toBe(false);
    expect(w.reads()).toBe(2);
  });

  it('remembers an unknown account until a change, and keeps types apart', async () => {
    const w = world();
    expect(await w.account('user', 'u2')).toBeUndefined();
    expect(await w.account('user', 'u2')).toBeUndefined();
    expect(w.reads()).toBe(1);
    await w.account('servicePrincipal', 'u1');
    expect(w.reads()).toBe(2);
    w.rows.set('u2', { displayName: 'U2', accountEnabled: true });
    w.commit();
    expect(await w.account('user', 'u2')).toEqual({ displayName: 'U2', accountEnabled: true });
  });

  it('does not keep a read that a commit overlapped', async () => {
    const w = world();
    w.duringRead(() => w.commit());
    await w.account('user', 'u1');
    w.duringRead(undefined);
    await w.account('user', 'u1');
    expect(w.reads()).toBe(2);
    await w.account('user', 'u1');
    expect(w.reads()).toBe(2);
  });
});

describe('the verified tokens', () => {
  const at = (seconds: number) => new Date(seconds * 1000);

  it('verifies a token once and uses its claims until its exp, then verifies again', async () => {
    let verifications = 0;
    const claimsOf = createVerifiedTokens(async (token: string) => {
      verifications++;
      if (token === 'bad') throw new Error('invalid');
      return { sub: token, exp: 100 };
    });
    expect(await claimsOf('a', at(10))).toEqual({ sub: 'a', exp: 100 });
    expect(await claimsOf('a', at(99.9))).toEqual({ sub: 'a', exp: 100 });
    expect(verifications).toBe(1);
    await claimsOf('a', at(100));
    expect(verifications).toBe(2);
    await expect(claimsOf('bad', at(10))).rejects.toThrow('invalid');
    await expect(claimsOf('bad', at(10))).rejects.toThrow('invalid');
    expect(verifications).toBe(4);
  });
});
