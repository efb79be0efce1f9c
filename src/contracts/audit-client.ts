import { ApiError } from './api-error.js';
import type { GraphDirectoryAudit, GraphPage } from './graph-types.js';
import type { AuditExportFormat } from './native-schemas.js';

type Query = Readonly<Record<string, string | number | undefined>>;

/** What the client's transport lends these calls: one page of a Graph list, or a raw answer. */
export interface AuditTransport {
  page<T>(pathOrNextLink: string, query?: Query): Promise<GraphPage<T>>;
  /** A GET whose answer is read as it is (not JSON); failures are `ApiError`s. */
  download(path: string, query: Query): Promise<Response>;
}

/** A directoryAudit with what a reader opens a record for: the changed properties and the details. */
export type AuditRecord = Omit<GraphDirectoryAudit, 'targetResources'> & {
  readonly targetResources: readonly (GraphDirectoryAudit['targetResources'][number] & {
    readonly modifiedProperties?: readonly {
      readonly displayName: string;
      readonly oldValue: string | null;
      readonly newValue: string | null;
    }[];
  })[];
  readonly additionalDetails?: readonly { readonly key: string; readonly value: string }[];
};

/** One page of the audit log: which records (`filter`, OData as Graph takes it), how many, and their total. */
export interface AuditPageOptions {
  readonly filter?: string;
  readonly top?: number;
  readonly count?: boolean;
}

/** A downloaded export: the bytes and the file name the server gave them. */
export interface AuditFile {
  readonly blob: Blob;
  readonly fileName: string;
}

/** The audit calls a reader's page makes: the log page by page (research §7) and the export of a search. */
export function auditCalls(t: AuditTransport) {
  return {
    /** One page of `/v1.0/auditLogs/directoryAudits`, newest first; the next with `nextPage(nextLink)`. */
    pageDirectoryAudits: (opts: AuditPageOptions = {}) =>
      t.page<AuditRecord>('/v1.0/auditLogs/directoryAudits', {
        $filter: opts.filter,
        $top: opts.top,
        $count: opts.count ? 'true' : undefined,
      }),

    /** `GET /api/v1/audit/export`: the records `filter` selects (oldest first) as one CSV or JSON file. */
    async downloadAudit(format: AuditExportFormat, opts: { filter?: string } = {}): Promise<AuditFile> {
      const response = await t.download('/api/v1/audit/export', { format, filter: opts.filter });
      const disposition = response.headers.get('content-disposition') ?? '';
      const named = /filename="([^"]+)"/.exec(disposition)?.[1];
      try {
        return { blob: await response.blob(), fileName: named ?? `elevate-audit.${format}` };
      } catch (error) {
        throw new ApiError(
          response.status,
          'invalid_response',
          `The export stopped before its end: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    },
  };
}
