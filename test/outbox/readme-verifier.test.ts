import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newWebhookSecret, webhookHeaders } from '../../src/connectors/webhook/standard-webhooks.js';

const root = join(import.meta.dirname, '..', '..');

/** The receiver's verifier as the README shows it, run against what the webhook channel signs. */
describe('the README webhook verifier', () => {
  it('accepts what Elevate signs, under either secret during a rotation, and refuses anything changed', async () => {
    const readme = await readFile(join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('**Verifying a delivery**'));
    const code = section.match(/```ts\n([\s\S]*?)```/)?.[1];
    expect(code).toBeDefined();
    const dir = await mkdtemp(join(root, 'test', 'outbox', '.readme-'));
    try {
      await writeFile(join(dir, 'verify.ts'), code!);
      const { verifyWebhook } = (await import(join(dir, 'verify.ts'))) as {
        verifyWebhook: (secret: string, headers: Record<string, string>, body: string) => boolean;
      };
      const [current, previous] = [newWebhookSecret(), newWebhookSecret()];
      const body = '{"specversion":"1.0","type":"elevate.activation.granted"}';
      const headers = webhookHeaders([current, previous], {
        id: '0193a0c0-0000-7000-8000-000000000001',
        timestamp: Math.floor(Date.now() / 1000),
        body,
      });
      expect(verifyWebhook(current, headers, body)).toBe(true);
      expect(verifyWebhook(previous, headers, body)).toBe(true);
      expect(verifyWebhook(newWebhookSecret(), headers, body)).toBe(false);
      expect(verifyWebhook(current, headers, body.replace('granted', 'ended'))).toBe(false);
      expect(verifyWebhook(current, { ...headers, 'webhook-timestamp': '1000000000' }, body)).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
