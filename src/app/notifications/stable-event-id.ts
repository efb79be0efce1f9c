import { createHash } from 'node:crypto';

/**
 * A UUID (version 8: application-defined) derived from `parts`: the id of an event that a periodic pass may find
 * due more than once — a reminder (schedule, end, lead) or a digest (tenant, week). Publishing the same id
 * again adds nothing to the outbox, so running a pass twice, or on two instances, sends each message once.
 */
export function stableEventId(...parts: readonly string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32).split('');
  hex[12] = '8';
  hex[16] = ((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
