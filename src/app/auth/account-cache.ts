/** What authenticating a request needs to know of the account behind it. */
export interface AccountRow {
  readonly displayName: string;
  readonly accountEnabled: boolean;
}

type AccountType = 'user' | 'servicePrincipal';

/** Accounts remembered before the cache starts again (bounds memory; one entry per active caller). */
const maxAccounts = 100_000;

/**
 * Accounts (display name, enabled) by type and id, read from the database once and kept while `generation()`
 * stays the same. The access index's sync moves it on every commit of this process and on every notification
 * from another instance (a user or service principal whose account is enabled, disabled, renamed, created or
 * deleted notifies), so a disabled or deleted account is refused at the next request. A read that overlaps a
 * commit is used once and not kept.
 */
export function createAccountCache(
  load: (type: AccountType, id: string) => Promise<AccountRow | undefined>,
  generation: () => number,
) {
  const accounts = new Map<string, AccountRow | null>();
  let keptAt = generation();

  return async function account(type: AccountType, id: string): Promise<AccountRow | undefined> {
    const current = generation();
    if (current !== keptAt) {
      accounts.clear();
      keptAt = current;
    }
    const key = `${type}:${id}`;
    const kept = accounts.get(key);
    if (kept !== undefined) return kept ?? undefined;
    const row = await load(type, id);
    if (generation() === current && keptAt === current) {
      if (accounts.size >= maxAccounts) accounts.clear();
      accounts.set(key, row ?? null);
    }
    return row;
  };
}
