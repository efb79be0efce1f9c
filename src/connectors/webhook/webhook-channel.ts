import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { type DeliveryChannel, DeliveryFailure } from '../../app/outbox/delivery-ports.js';
import type { WebhookEndpoint } from '../../app/webhooks/webhook-service.js';
import type { WebhookAddressGuard } from './address-guard.js';
import { webhookHeaders } from './standard-webhooks.js';

export interface WebhookChannelOptions {
  /** The endpoint of a subscription now; undefined when it was deleted. */
  readonly endpoint: (subscriptionId: string) => Promise<WebhookEndpoint | undefined>;
  readonly guard: WebhookAddressGuard;
  /** Seconds since the epoch for `webhook-timestamp` (the injected clock). */
  readonly nowSeconds: () => number;
  /** Give up on an attempt after this long (it is retried). */
  readonly timeoutMs: number;
  readonly userAgent?: string;
}

/**
 * POSTs a delivery's CloudEvent (structured mode) to its subscription, signed as Standard Webhooks. 2xx is
 * delivered; 408, 429, 5xx, redirects, time-outs and network errors are retried; any other 4xx, a deleted
 * subscription or an address that is not allowed (checked again now, on the address it connects to) is dead.
 */
export function createWebhookChannel(options: WebhookChannelOptions): DeliveryChannel {
  return {
    name: 'webhook',
    async deliver(d) {
      const endpoint = await options.endpoint(d.receiverId);
      if (!endpoint) throw new DeliveryFailure('The webhook subscription was deleted', false);
      if (!endpoint.enabled) throw new DeliveryFailure('The webhook subscription is disabled', false);
      const refused = await options.guard.check(endpoint.url);
      if (refused) throw new DeliveryFailure(`Refused to call ${hostOf(endpoint.url)}: ${refused}`, false);
      const body = (d.payload as { body: string }).body;
      const headers = {
        'content-type': 'application/cloudevents+json; charset=utf-8',
        'user-agent': options.userAgent ?? 'Elevate-Webhooks/1',
        ...webhookHeaders(endpoint.secrets, { id: d.eventId, timestamp: options.nowSeconds(), body }),
      };
      const status = await post(endpoint.url, headers, body, options);
      if (status >= 200 && status < 300) return { response: `HTTP ${status}` };
      const retryable = !(status >= 400 && status < 500) || status === 408 || status === 429;
      throw new DeliveryFailure(`HTTP ${status} from ${hostOf(endpoint.url)}`, retryable);
    },
  };
}

/** The host of a URL, for messages: paths and queries may hold a receiver's own secret (e.g. chat webhooks). */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the endpoint';
  }
}

function post(
  url: string,
  headers: Record<string, string>,
  body: string,
  options: WebhookChannelOptions,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const send = u.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      u,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        lookup: options.guard.lookup as never,
        timeout: options.timeoutMs,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new DeliveryFailure(`No answer within ${options.timeoutMs} ms`)));
    req.on('error', (error) =>
      reject(
        error instanceof DeliveryFailure
          ? error
          : new DeliveryFailure(error.message, !/resolves to/.test(error.message)),
      ),
    );
    req.end(body);
  });
}
