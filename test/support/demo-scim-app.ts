import { createServer, request } from 'node:http';
import { startScimServer } from './scim-server.js';

/**
 * A SCIM 2.0 application to try the demo tenant's provisioning with (README, "The demo tenant"):
 * `npx tsx test/support/demo-scim-app.ts [port]` serves the tests' SCIMMY server at
 * http://127.0.0.1:<port>/scim/v2 (9000 by default; a fixed port, so the demo's link stays valid across restarts)
 * with the bearer token `demo-scim-token` (or ELEVATE_DEMO_SCIM_TOKEN), and prints each request it answers and
 * who is then a member of which group. Everything is in memory.
 */
async function main(): Promise<void> {
  const port = Number(process.argv[2] ?? 9000);
  const token = process.env.ELEVATE_DEMO_SCIM_TOKEN ?? 'demo-scim-token';
  const scim = await startScimServer({ token });
  const upstream = new URL(scim.baseUrl);
  // The SCIM server listens on a free port; this front door keeps the URL the same from one run to the next.
  const front = createServer((req, res) => {
    const forwarded = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', () => res.writeHead(502).end());
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => front.listen(port, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${port}/scim/v2`;
  console.log(`SCIM 2.0 application at ${baseUrl}; start Elevate with\n`);
  console.log(`  ELEVATE_DEMO_SCIM_URL=${baseUrl} ELEVATE_DEMO_SCIM_TOKEN=${token} npm start\n`);

  let shown = 0;
  for (;;) {
    await scim.waitFor(() => scim.exchanges.length > shown);
    for (const e of scim.exchanges.slice(shown)) console.log(`${e.method} ${e.path} → ${e.status}`);
    shown = scim.exchanges.length;
    for (const group of scim.groups.values()) {
      const members = scim.memberUserNames(group.displayName);
      console.log(`  ${group.displayName}: ${members.length > 0 ? members.join(', ') : '(no members)'}`);
    }
  }
}

await main();
