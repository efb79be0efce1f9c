import type { PimEvent } from './pim-event.js';
import { pimEventToJson } from './pim-event-json.js';

/** A CloudEvents 1.0 event in structured JSON mode, as webhooks receive it. */
export interface CloudEvent {
  readonly specversion: '1.0';
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly subject: string;
  readonly time: string;
  readonly datacontenttype: 'application/json';
  readonly data: unknown;
}

/** The CloudEvents `source` of a tenant's events. */
const cloudEventSource = (tenantId: string): string => `/elevate/tenants/${tenantId}`;

/**
 * The CloudEvent for a PimEvent: `id` is the event id (stable across retries and channels), `data` holds the
 * actor and everything PimEventData says, instants as UTC ISO 8601.
 */
export function toCloudEvent(event: PimEvent): CloudEvent {
  const json = pimEventToJson(event);
  return {
    specversion: '1.0',
    id: event.id,
    source: cloudEventSource(event.tenantId),
    type: event.type,
    subject: event.subject,
    time: json.time,
    datacontenttype: 'application/json',
    data: { actor: json.actor, ...json.data },
  };
}
