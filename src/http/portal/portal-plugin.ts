import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Where `npm run build:web` writes the portal: `dist/web` at the package root. */
export const defaultWebRoot = fileURLToPath(new URL('../../../dist/web/', import.meta.url));

/** Paths that belong to the APIs: the portal never answers them, so they keep their own 404s. */
const apiPrefixes = ['/v1.0', '/beta', '/api', '/oauth2', '/healthz', '/openapi.json'];

/** What `web/vite.config.ts` writes into index.html where each response's CSP nonce goes. */
const noncePlaceholder = '__ELEVATE_CSP_NONCE__';

/** Files at the top of the build (favicon, robots.txt) served as they are. */
const topLevelFile = /^\/[A-Za-z0-9][\w.-]*\.(?:svg|ico|png|txt|webmanifest)$/;
/** A request for a file, not a page: a missing one is a 404, never index.html. */
const fileLike = /\.(?:js|mjs|css|map|svg|ico|png|jpe?g|gif|webp|txt|json|webmanifest|woff2?|html)$/i;

/**
 * The portal's content security policy: everything from this origin only. Mantine writes its CSS variables
 * in a `<style>` element, which carries the page's nonce (read from `<meta property="csp-nonce">`).
 */
export function contentSecurityPolicy(styleNonce?: string): string {
  return [
    "default-src 'self'",
    "base-uri 'self'",
    "connect-src 'self'",
    "font-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "img-src 'self'",
    "object-src 'none'",
    "script-src 'self'",
    "script-src-attr 'none'",
    `style-src 'self'${styleNonce ? ` 'nonce-${styleNonce}'` : ''}`,
  ].join('; ');
}

const notBuiltPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Elevate</title></head>
<body><h1>Elevate</h1>
<p>The portal has not been built. Run <code>npm run build:web</code> and reload this page.</p>
<p>The APIs work without it: <a href="/openapi.json">/openapi.json</a> describes them.</p>
</body></html>
`;

/**
 * Serves the portal's production build (`dist/web`) at `/`: hashed assets under `/assets/` cached for a year,
 * `index.html` (never cached, with a fresh CSP nonce) for `/` and for every other browser navigation that is
 * not an API path, so the portal's own routes (`/my-roles`) survive a reload. Security headers on all of it.
 */
export async function registerPortal(app: FastifyInstance, options: { root: string }): Promise<void> {
  const { root } = options;
  await app.register(async (portal) => {
    await portal.register(helmet, {
      contentSecurityPolicy: false,
      // Plain http on loopback is the default set-up; HSTS only means something behind TLS.
      strictTransportSecurity: false,
    });
    portal.addHook('onRequest', async (_request, reply) => {
      reply.header('content-security-policy', contentSecurityPolicy());
    });
    await portal.register(fastifyStatic, {
      root: join(root, 'assets'),
      prefix: '/assets/',
      index: false,
      immutable: true,
      maxAge: '365d',
      // The build may be made after the server starts; until then `/` explains how (sendIndex).
      suppressWarning: true,
    });

    async function sendIndex(reply: FastifyReply): Promise<FastifyReply> {
      const html = await readFile(join(root, 'index.html'), 'utf8').catch(() => null);
      reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8');
      if (html === null) return reply.status(503).send(notBuiltPage);
      const nonce = randomBytes(16).toString('base64');
      return reply
        .header('content-security-policy', contentSecurityPolicy(nonce))
        .send(html.replaceAll(noncePlaceholder, nonce));
    }

    portal.get('/', { schema: { hide: true } }, (_request, reply) => sendIndex(reply));

    portal.setNotFoundHandler(async (request, reply) => {
      const path = request.url.split('?')[0] ?? '/';
      if ((request.method === 'GET' || request.method === 'HEAD') && !isApiPath(path)) {
        if (topLevelFile.test(path) && (await isFile(join(root, path)))) {
          return reply.sendFile(path.slice(1), root, { maxAge: '1h', immutable: false });
        }
        if (!path.startsWith('/assets/') && !fileLike.test(path) && acceptsHtml(request))
          return sendIndex(reply);
      }
      return reply
        .status(404)
        .send({ message: `Route ${request.method}:${path} not found`, error: 'Not Found', statusCode: 404 });
    });
  });
}

const isApiPath = (path: string): boolean =>
  apiPrefixes.some((p) => path === p || path.startsWith(`${p}/`)) || /^\/[^/]+\/oauth2\//.test(path);

const acceptsHtml = (request: FastifyRequest): boolean =>
  (request.headers.accept ?? '').includes('text/html');

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}
