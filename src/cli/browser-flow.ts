import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CliError } from './cli-error.js';
import type { CliIo } from './cli-io.js';

/** How long the CLI waits for the person to finish in the browser. */
const defaultTimeoutMs = 5 * 60_000;

/**
 * The page the browser lands on. The result is in the URL fragment, which a browser never sends to a server; the
 * page posts it to the CLI's listener (same origin) and wipes it from the address bar and history.
 */
const relayPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Elevate</title></head>
<body style="font-family: sans-serif; margin: 3em"><p id="message">Finishing…</p>
<script>
  const result = location.hash.slice(1);
  history.replaceState(null, '', location.pathname);
  fetch(location.pathname, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: result,
  })
    .then((r) => r.text())
    .then((text) => { document.getElementById('message').textContent = text; })
    .catch(() => { document.getElementById('message').textContent = 'Return to the terminal.'; });
</script></body></html>`;

/**
 * A browser round trip for `elevate login --oidc` and the `--oidc` step-up (RFC 8252, loopback redirect): listens
 * on 127.0.0.1 at a random port and an unguessable path, asks `start` for the URL to open with that address as the
 * redirect, opens it in the browser (and prints it, for when no browser opens), and answers the parameters the
 * server put in the fragment of its redirect back (a token or proof, or `error` and `error_description`).
 */
export async function browserRoundTrip(
  io: CliIo,
  args: {
    start: (redirectUri: string) => Promise<string>;
    /** What the person is asked to do: "sign in", "step up". */
    purpose: string;
    timeoutMs?: number;
  },
): Promise<Record<string, string>> {
  const path = `/elevate/${randomBytes(16).toString('hex')}`;
  let settle: { resolve: (v: Record<string, string>) => void; reject: (e: Error) => void } | undefined;
  const result = new Promise<Record<string, string>>((resolve, reject) => {
    settle = { resolve, reject };
  });
  let origin = '';

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      res.statusCode = 500;
      res.end();
    });
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('cache-control', 'no-store');
    res.setHeader('referrer-policy', 'no-referrer');
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname !== path) {
      res.statusCode = 404;
      res.end();
      return;
    }
    if (req.method === 'GET') {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(relayPage);
      return;
    }
    // Only the relay page (this origin) may post the result.
    if (req.method !== 'POST' || (req.headers.origin !== undefined && req.headers.origin !== origin)) {
      res.statusCode = 403;
      res.end();
      return;
    }
    const body = await readBody(req, 16_384);
    const params = Object.fromEntries(new URLSearchParams(body));
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    res.end(
      params.error
        ? `Elevate could not ${args.purpose}: ${params.error_description ?? params.error}. Return to the terminal.`
        : `Done: you can close this window and return to the terminal.`,
    );
    settle?.resolve(params);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const timer = setTimeout(
    () =>
      settle?.reject(
        new CliError(
          `Nothing came back from the browser within ${Math.round((args.timeoutMs ?? defaultTimeoutMs) / 60_000)} minutes; run the command again.`,
        ),
      ),
    args.timeoutMs ?? defaultTimeoutMs,
  );
  try {
    const url = await args.start(`${origin}${path}`);
    io.stderr.write(
      `Opening your browser to ${args.purpose} at your identity provider. If it does not open, visit:\n  ${url}\n`,
    );
    Promise.resolve()
      .then(() => (io.openUrl ?? openInBrowser)(url))
      .catch((error: unknown) =>
        io.stderr.write(
          `Could not open a browser (${error instanceof Error ? error.message : error}); visit the URL above.\n`,
        ),
      );
    return await result;
  } finally {
    clearTimeout(timer);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** The platform's opener (`open`, `xdg-open`, `start`); never fails: the URL is printed anyway. */
function openInBrowser(url: string): void {
  const [command, ...argv] =
    process.platform === 'darwin'
      ? ['open', url]
      : process.platform === 'win32'
        ? ['rundll32', 'url.dll,FileProtocolHandler', url]
        : ['xdg-open', url];
  try {
    const child = spawn(command!, argv, { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // No opener on this machine: the printed URL is the way.
  }
}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
