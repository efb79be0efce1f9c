import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

interface ReceivedWebhook {
  /** The request path (several subscriptions may share one receiver on different paths). */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The raw body, exactly as sent (what signatures cover). */
  readonly body: string;
}

/** A real HTTP endpoint on 127.0.0.1 that records every connection and request, answering `status`. */
export interface WebhookReceiver {
  readonly url: string;
  readonly received: ReceivedWebhook[];
  /** TCP connections accepted, whether or not a request followed. */
  connections: number;
  /** What the next requests are answered; `hang` never answers. */
  status: number | 'hang';
  close(): Promise<void>;
}

export async function startWebhookReceiver(path = '/hooks/elevate', port = 0): Promise<WebhookReceiver> {
  const hanging: (() => void)[] = [];
  const receiver: WebhookReceiver = {
    url: '',
    received: [],
    connections: 0,
    status: 204,
    close: () =>
      new Promise<void>((resolve) => {
        for (const end of hanging) end();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (receiver.status === 'hang') {
        hanging.push(() => res.destroy());
        return;
      }
      if (receiver.status >= 200 && receiver.status < 300)
        receiver.received.push({
          path: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
      res.statusCode = receiver.status;
      res.end();
    });
  });
  server.on('connection', () => {
    receiver.connections++;
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  return Object.assign(receiver, { url: `http://127.0.0.1:${bound}${path}` });
}
