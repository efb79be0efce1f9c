import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The server `npm run dev:web` forwards API calls to (start it with `npm start` first). */
const server = process.env.ELEVATE_SERVER ?? 'http://127.0.0.1:8080';
const apiPaths = ['/v1.0', '/beta', '/api', '/oauth2', '/healthz', '/openapi.json'];

/** Vendor chunks: a name and the packages (directory names under node_modules) that go in it. */
const vendorChunks: readonly (readonly [string, readonly string[]])[] = [
  ['react', ['react', 'react-dom', 'scheduler']],
  [
    'mantine',
    [
      '@mantine',
      '@floating-ui',
      'react-remove-scroll',
      'react-remove-scroll-bar',
      'react-style-singleton',
      'use-callback-ref',
      'use-sidecar',
      'get-nonce',
      'react-number-format',
      'react-textarea-autosize',
      'clsx',
      'tslib',
    ],
  ],
  ['tanstack', ['@tanstack']],
  ['zod', ['zod']],
];

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  // Each index.html response gets a fresh nonce in place of this (src/http/portal/portal-plugin.ts); Mantine
  // reads it from <meta property="csp-nonce"> for the <style> element it writes.
  html: { cspNonce: '__ELEVATE_CSP_NONCE__' },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    rolldownOptions: {
      output: {
        // Libraries change less often than the portal: each family its own chunk, cached across releases and
        // each well under the 500 kB warning. Pages only administrators open are loaded when opened (router.tsx).
        codeSplitting: {
          groups: vendorChunks.map(([name, packages]) => ({
            name,
            test: new RegExp(`node_modules[\\\\/](${packages.join('|')})[\\\\/]`),
          })),
        },
      },
    },
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: Object.fromEntries(apiPaths.map((path) => [path, { target: server }])),
  },
});
