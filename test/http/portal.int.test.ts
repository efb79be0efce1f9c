import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeServices } from '../../src/compose.js';
import type { Database } from '../../src/db/connect.js';
import { buildHttpServer } from '../../src/http/server.js';
import { TestClock } from '../support/clock.js';
import { createTestDatabase } from '../support/db.js';

const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
const indexHtml = `<!doctype html><html><head>
<meta property="csp-nonce" nonce="__ELEVATE_CSP_NONCE__">
<script type="module" crossorigin src="/assets/index-abc123.js" nonce="__ELEVATE_CSP_NONCE__"></script>
</head><body><div id="root"></div></body></html>`;

describe('the portal at / (a production build in a temporary folder)', () => {
  let database: Database;
  let app: FastifyInstance;
  let unbuilt: FastifyInstance;
  let webRoot: string;

  beforeAll(async () => {
    webRoot = await mkdtemp(join(tmpdir(), 'elevate-web-'));
    await mkdir(join(webRoot, 'assets'));
    await writeFile(join(webRoot, 'index.html'), indexHtml);
    await writeFile(join(webRoot, 'assets/index-abc123.js'), 'console.log("portal");');
    await writeFile(join(webRoot, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    database = await createTestDatabase('pglite');
    const services = await composeServices(database, { clock: new TestClock() });
    app = await buildHttpServer({ services, webRoot });
    unbuilt = await buildHttpServer({ services, webRoot: join(webRoot, 'missing') });
  });
  afterAll(async () => {
    await app?.close();
    await unbuilt?.close();
    await database?.close();
    await rm(webRoot, { recursive: true, force: true });
  });

  it('answers / with index.html: never cached, a fresh nonce in the page and in a self-only CSP', async () => {
    const first = await app.inject({ method: 'GET', url: '/', headers: html });
    const second = await app.inject({ method: 'GET', url: '/', headers: html });
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(first.headers['cache-control']).toBe('no-cache');
    const nonce = /nonce="([^"]+)"/.exec(first.body)?.[1];
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(first.body).not.toContain('__ELEVATE_CSP_NONCE__');
    expect(second.body).not.toContain(nonce);
    const csp = String(first.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain(`style-src 'self' 'nonce-${nonce}'`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe|\*|https?:/);
    expect(first.headers['x-content-type-options']).toBe('nosniff');
    expect(first.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(first.headers['referrer-policy']).toBe('no-referrer');
  });

  it("answers the portal's own paths with index.html when a browser asks for a page (reloads work)", async () => {
    for (const url of ['/my-roles', '/sign-in?redirect=%2Fmy-roles', '/some/deep/page']) {
      const res = await app.inject({ method: 'GET', url, headers: html });
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toContain('<div id="root">');
    }
    expect((await app.inject({ method: 'HEAD', url: '/my-roles', headers: html })).statusCode).toBe(200);
  });

  it('serves hashed assets for a year and top-level files for an hour', async () => {
    const asset = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toMatch(/^(application|text)\/javascript/);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.body).toBe('console.log("portal");');
    const icon = await app.inject({ method: 'GET', url: '/favicon.svg', headers: { accept: 'image/*' } });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['cache-control']).toBe('public, max-age=3600');
  });

  it('never shadows the APIs, and answers unknown files and non-page requests with a JSON 404', async () => {
    const health = await app.inject({ method: 'GET', url: '/healthz', headers: html });
    expect(health.json()).toEqual({ status: 'ok' });
    expect((await app.inject({ method: 'GET', url: '/openapi.json', headers: html })).json()).toHaveProperty(
      'openapi',
    );
    for (const url of ['/v1.0/nothing-here', '/beta/nothing-here', '/api/v1/nothing-here', '/api/other']) {
      const res = await app.inject({ method: 'GET', url, headers: html });
      expect(res.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(res.headers['content-type'], url).toMatch(/^application\/json/);
    }
    for (const [method, url, headers] of [
      ['GET', '/assets/missing-123.js', html],
      ['GET', '/missing.svg', html],
      ['GET', '/my-roles', { accept: 'application/json' }],
      ['POST', '/my-roles', html],
      ['GET', '/oauth2/v2.0/token', html],
    ] as const) {
      const res = await app.inject({ method, url, headers });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.headers['content-type'], url).toMatch(/^application\/json/);
    }
  });

  it('serves nothing outside the build', async () => {
    for (const url of [
      '/assets/..%2F..%2F..%2F..%2Fetc%2Fpasswd',
      '/..%2F..%2Fetc%2Fpasswd.txt',
      '/../index.html',
    ]) {
      const res = await app.inject({ method: 'GET', url, headers: { accept: '*/*' } });
      expect(res.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(res.body, url).not.toContain('root:');
    }
  });

  it('explains how to build the portal when dist/web is missing', async () => {
    const res = await unbuilt.inject({ method: 'GET', url: '/', headers: html });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('npm run build:web');
    expect((await unbuilt.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
  });
});
