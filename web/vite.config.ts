import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The server `npm run dev:web` forwards API calls to (start it with `npm start` first). */
const server = process.env.ELEVATE_SERVER ?? 'http://127.0.0.1:8080';
const apiPaths = ['/v1.0', '/beta', '/api', '/oauth2', '/healthz', '/openapi.json'];

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  // Each index.html response gets a fresh nonce in place of this (src/http/portal/portal-plugin.ts); Mantine
  // reads it from <meta property="csp-nonce"> for the <style> element it writes.
  html: { cspNonce: '__ELEVATE_CSP_NONCE__' },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1024,
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: Object.fromEntries(apiPaths.map((path) => [path, { target: server }])),
  },
});
