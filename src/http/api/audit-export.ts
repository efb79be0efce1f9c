import { pipeline, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { z } from 'zod';
import {
  type AuditEntry,
  type AuditInitiator,
  type AuditTargetResource,
  auditCategories,
  auditOperationTypes,
  auditServices,
  auditTargetTypes,
} from '../../core/audit/audit-record.js';

const modifiedProperty = z.object({
  displayName: z.string(),
  oldValue: z.string().nullable(),
  newValue: z.string().nullable(),
});

/**
 * One exported record: every field the hash covers, in the log's own spelling, plus its place in the chain,
 * so a copy can be re-verified outside Elevate. Each record passes through this schema before it is written:
 * what it does not list never leaves.
 */
export const auditExportRecordSchema = z.object({
  sequence: z.number().int(),
  id: z.string(),
  activityDateTime: z.string().describe('UTC, ISO 8601 with Z'),
  category: z.enum(auditCategories),
  activityDisplayName: z.string(),
  operationType: z.enum(auditOperationTypes),
  result: z.enum(['success', 'failure']),
  resultReason: z.string().nullable(),
  loggedByService: z.enum(auditServices),
  correlationId: z.string().nullable(),
  initiatedBy: z.object({
    user: z
      .object({ id: z.string(), displayName: z.string(), userPrincipalName: z.string().nullable() })
      .optional(),
    app: z.object({ appId: z.string(), displayName: z.string(), servicePrincipalId: z.string() }).optional(),
  }),
  targetResources: z.array(
    z.object({
      id: z.string(),
      displayName: z.string(),
      type: z.enum(auditTargetTypes),
      userPrincipalName: z.string().optional(),
      modifiedProperties: z.array(modifiedProperty),
    }),
  ),
  additionalDetails: z.array(z.object({ key: z.string(), value: z.string() })),
  previousHash: z.string(),
  hash: z.string(),
});

/** The CSV columns, in order. */
export const auditCsvColumns = [
  'sequence',
  'id',
  'activityDateTime',
  'category',
  'activityDisplayName',
  'operationType',
  'result',
  'resultReason',
  'loggedByService',
  'initiatedBy',
  'targets',
  'correlationId',
  'hash',
] as const;

/** The entries as a JSON array, written one record at a time. */
export function auditJsonStream(entries: AsyncIterable<AuditEntry>): Readable {
  return Readable.from(jsonChunks(entries), { objectMode: false });
}

async function* jsonChunks(entries: AsyncIterable<AuditEntry>): AsyncGenerator<string> {
  let first = true;
  yield '[';
  for await (const entry of entries) {
    yield `${first ? '' : ','}\n${JSON.stringify(toExportRecord(entry))}`;
    first = false;
  }
  yield first ? ']' : '\n]\n';
}

/** The entries as CSV with a header line, one line per record (see `auditCsvColumns`). */
export function auditCsvStream(entries: AsyncIterable<AuditEntry>): Readable {
  const rows = Readable.from(csvRows(entries));
  const csv = stringify({
    header: true,
    columns: [...auditCsvColumns],
    cast: { string: neutraliseFormula },
  });
  // pipeline destroys the CSV stream when reading the log fails, so the response ends in an error, not short.
  return pipeline(rows, csv, () => {});
}

async function* csvRows(entries: AsyncIterable<AuditEntry>): AsyncGenerator<Record<string, unknown>> {
  for await (const entry of entries) {
    const record = toExportRecord(entry);
    yield {
      sequence: record.sequence,
      id: record.id,
      activityDateTime: record.activityDateTime,
      category: record.category,
      activityDisplayName: record.activityDisplayName,
      operationType: record.operationType,
      result: record.result,
      resultReason: record.resultReason ?? '',
      loggedByService: record.loggedByService,
      initiatedBy: describeInitiator(record.initiatedBy),
      targets: record.targetResources.map(describeTarget).join('; '),
      correlationId: record.correlationId ?? '',
      hash: record.hash,
    };
  }
}

function toExportRecord(entry: AuditEntry): z.output<typeof auditExportRecordSchema> {
  return auditExportRecordSchema.parse({ ...entry, activityDateTime: entry.activityDateTime.toISOString() });
}

function describeInitiator(initiator: AuditInitiator): string {
  if (initiator.user) return `${initiator.user.displayName} [user ${initiator.user.id}]`;
  if (initiator.app) return `${initiator.app.displayName} [app ${initiator.app.appId}]`;
  return '';
}

function describeTarget(target: Pick<AuditTargetResource, 'type' | 'displayName' | 'id'>): string {
  return `${target.type} ${target.displayName} [${target.id}]`;
}

/**
 * Spreadsheets run a cell that starts with = + - @ (or a tab or carriage return) as a formula; display names
 * and justifications are user input, so such cells get a leading apostrophe (OWASP's CSV injection advice).
 */
function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
