/**
 * One e-mail as the planner renders it and the SMTP channel sends it: the payload of an `email` delivery. Rendered
 * when the change commits, so it tells what was true then; it never holds a secret.
 */
export interface EmailPayload {
  /** The recipient's address (also the delivery's receiver id, lower case). */
  readonly to: string;
  /** The recipient's display name, when a directory user. */
  readonly toName: string | null;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /**
   * Messages about one request (or one assignment) share a thread: mail clients group the approval request and
   * the "already decided" notice. Becomes the References header.
   */
  readonly thread: string | null;
  /** What the message is, for logs and tests: e.g. `approvalRequested`, `digest`. */
  readonly kind: string;
}

/** Whether a delivery payload read back from the outbox is an e-mail this version can send. */
export function isEmailPayload(value: unknown): value is EmailPayload {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.to === 'string' &&
    typeof v.subject === 'string' &&
    typeof v.text === 'string' &&
    typeof v.html === 'string'
  );
}
