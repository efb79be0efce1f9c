import { expect, it } from 'vitest';
import { notifyOnCommit } from '../../src/app/access/notify-on-commit.js';
import { describeEachDatabase } from '../support/db.js';

describeEachDatabase('the commit hook of the access index', (ctx) => {
  it('signals after a write and after a transaction that wrote, not after one that only read', async () => {
    let signals = 0;
    const db = notifyOnCommit(ctx.db.db, () => {
      signals++;
    });

    await db.transaction().execute((trx) => trx.selectFrom('users').select('id').limit(1).execute());
    await db.selectFrom('users').select('id').limit(1).execute();
    expect(signals).toBe(0);

    await db.transaction().execute(async (trx) => {
      await trx.selectFrom('users').select('id').limit(1).execute();
      await trx
        .updateTable('users')
        .set({ display_name: 'x' })
        .where('id', '=', '00000000-0000-4000-8000-00000000dead')
        .execute();
    });
    // Once, at commit: not for the write inside the transaction.
    expect(signals).toBe(1);

    // A transaction that wrote and then failed rolled back: nothing to signal.
    await expect(
      db.transaction().execute(async (trx) => {
        await trx
          .updateTable('users')
          .set({ display_name: 'x' })
          .where('id', '=', '00000000-0000-4000-8000-00000000dead')
          .execute();
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(signals).toBe(1);
  });

  it('given onCommit returns a promise, then a write and a transaction that wrote return only once it settles', async () => {
    const order: string[] = [];
    let release: () => void = () => {};
    const db = notifyOnCommit(ctx.db.db, () => {
      order.push('commit signalled');
      return new Promise<void>((resolve) => {
        release = () => {
          order.push('others know');
          resolve();
        };
      });
    });
    const write = () =>
      db
        .updateTable('users')
        .set({ display_name: 'x' })
        .where('id', '=', '00000000-0000-4000-8000-00000000dead')
        .execute();

    const autocommit = write().then(() => order.push('write returned'));
    await until(() => order.length === 1);
    release();
    await autocommit;

    const transaction = db
      .transaction()
      .setIsolationLevel('read committed')
      .execute(async (trx) => {
        await trx.selectFrom('users').select('id').limit(1).execute();
        await trx
          .updateTable('users')
          .set({ display_name: 'y' })
          .where('id', '=', '00000000-0000-4000-8000-00000000dead')
          .execute();
      })
      .then(() => order.push('transaction returned'));
    await until(() => order.length === 4);
    release();
    await transaction;
    expect(order).toEqual([
      'commit signalled',
      'others know',
      'write returned',
      'commit signalled',
      'others know',
      'transaction returned',
    ]);
  });
});

/** Lets the event loop turn until `done()` (the database answers in its own time). */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 10_000 && !done(); i++) await new Promise((resolve) => setImmediate(resolve));
  if (!done()) throw new Error('gave up waiting');
}
