// The load generator for the HTTP figures, run in its own process (`tsx bench/load-client.ts CONFIG.json`) so
// the server under test keeps its core: autocannon POSTs the prepared bodies in turn and prints one JSON line.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

interface LoadConfig {
  readonly url: string;
  readonly token: string;
  readonly bodies: readonly string[];
  readonly connections: number;
  readonly seconds: number;
}

const config = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as LoadConfig;
const result = await autocannon({
  url: config.url,
  method: 'POST',
  connections: config.connections,
  duration: config.seconds,
  headers: { authorization: `Bearer ${config.token}`, 'content-type': 'application/json' },
  requests: config.bodies.map((body) => ({ method: 'POST', body })),
});
process.stdout.write(
  `${JSON.stringify({
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    total: result.requests.total,
  })}\n`,
);
