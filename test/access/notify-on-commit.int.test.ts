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
    // One for the write itself, one at commit.
    expect(signals).toBe(2);
  });
});
