import type { PimEvent } from './pim-event.js';

/** A PimEvent as stored and sent: the same fields, instants as UTC ISO 8601 strings. */
export type PimEventJson = ReturnType<typeof pimEventToJson>;

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());
const date = (s: string | null): Date | null => (s === null ? null : new Date(s));

/** The JSON form of an event (what outbox_events.event holds and webhooks carry as CloudEvents `data`). */
export function pimEventToJson(event: PimEvent) {
  return {
    ...event,
    time: event.time.toISOString(),
    data: { ...event.data, start: iso(event.data.start), end: iso(event.data.end) },
  };
}

/** Reads an event back from its JSON form. */
export function pimEventFromJson(json: PimEventJson): PimEvent {
  return {
    ...json,
    time: new Date(json.time),
    data: { ...json.data, start: date(json.data.start), end: date(json.data.end) },
  };
}
