import { Alert, Badge, Button, Group, Stack, Text, Title } from '@mantine/core';
import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { AuditChainStatus } from '../components/audit-chain-status';
import { AuditFilters } from '../components/audit-filters';
import { type AuditRecord, AuditRecordDialog } from '../components/audit-record-dialog';
import { type Column, DataTable } from '../components/data-table';
import { ErrorAlert, errorMessage } from '../components/error-alert';
import { actorName, auditFilter, criteriaFromParams, paramsFromCriteria } from '../lib/audit-search';
import { formatInstant } from '../lib/time';
import { useSession } from '../session';

/** Records read per page from the server. */
const pageSize = 50;

const columns: Column[] = [
  { key: 'when', header: 'Date', width: 160 },
  { key: 'activity', header: 'Activity' },
  { key: 'actor', header: 'Initiated by', width: 170 },
  { key: 'targets', header: 'Targets', width: '26%' },
  { key: 'result', header: 'Result', width: 112 },
  { key: 'open', header: 'Details', hidden: true, width: 90 },
];

const targetNames = (r: AuditRecord) =>
  r.targetResources
    .filter((t) => t.type !== 'Request')
    .map((t) => t.displayName ?? t.id)
    .join(', ');

/** Saves a downloaded file the way a link with `download` would. */
function saveFile(file: { blob: Blob; fileName: string }) {
  const url = URL.createObjectURL(file.blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = file.fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * The audit log for its readers: search by time, who, what and on what, newest first, page by page; open a record;
 * export what the search finds as CSV or JSON; and whether the hash chain is intact.
 */
export function AuditPage() {
  const { client, user } = useSession();
  const criteria = criteriaFromParams(useSearch({ from: '/signed-in/audit' }));
  const navigate = useNavigate();
  // The relative periods end when the search is made, not at each page.
  const [searchedAt, setSearchedAt] = useState(() => Date.now());
  const filter = auditFilter(criteria, searchedAt);
  const records = useInfiniteQuery({
    queryKey: ['audit', user.id, filter ?? ''],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      pageParam === null
        ? client.pageDirectoryAudits({ filter, top: pageSize, count: true })
        : client.nextPage<AuditRecord>(pageParam),
    getNextPageParam: (last) => last.nextLink ?? undefined,
  });
  const [open, setOpen] = useState<{ record: AuditRecord | null; opened: boolean }>({
    record: null,
    opened: false,
  });
  const exporting = useMutation({
    mutationFn: async (format: 'csv' | 'json') => {
      const file = await client.downloadAudit(format, filter === undefined ? {} : { filter });
      saveFile(file);
      return file.fileName;
    },
  });

  const items = records.data?.pages.flatMap((p) => p.items);
  const total = records.data?.pages[0]?.count ?? null;

  return (
    <Stack gap="lg" maw={1280}>
      <div>
        <Title order={1} size="h2">
          Audit
        </Title>
        <Text c="dimmed" size="sm">
          Every change Elevate made and who asked for it, newest first. Each record is chained to the one
          before, so an edited or removed record is found.
        </Text>
      </div>

      <AuditChainStatus />

      <AuditFilters
        // A new address (a search, Back) shows its criteria in the form.
        key={JSON.stringify(paramsFromCriteria(criteria))}
        value={criteria}
        onSearch={(c) => {
          setSearchedAt(Date.now());
          void navigate({ to: '/audit', search: paramsFromCriteria(c) });
        }}
      />

      <Group justify="space-between" wrap="wrap">
        <Text size="sm" aria-live="polite" mih={22}>
          {items === undefined
            ? ''
            : total === null
              ? `${items.length} records shown`
              : `Showing ${items.length} of ${total.toLocaleString()} record${total === 1 ? '' : 's'}`}
          {filter ? ' matching the search' : ''}
        </Text>
        <Group gap="xs">
          <Button
            variant="default"
            size="xs"
            loading={exporting.isPending && exporting.variables === 'csv'}
            onClick={() => exporting.mutate('csv')}
          >
            Export CSV
          </Button>
          <Button
            variant="default"
            size="xs"
            loading={exporting.isPending && exporting.variables === 'json'}
            onClick={() => exporting.mutate('json')}
          >
            Export JSON
          </Button>
        </Group>
      </Group>
      <div role="status" aria-live="polite">
        {exporting.isSuccess && (
          <Alert color="green" withCloseButton closeButtonLabel="Dismiss" onClose={() => exporting.reset()}>
            Downloaded {exporting.data}: the records this search finds, oldest first.
          </Alert>
        )}
        {exporting.isError && (
          <Alert
            color="red"
            title="Not exported"
            withCloseButton
            closeButtonLabel="Dismiss"
            onClose={() => exporting.reset()}
          >
            {errorMessage(exporting.error)}
          </Alert>
        )}
      </div>

      {records.isError && (
        <ErrorAlert
          title="The audit log could not be read"
          error={records.error}
          onRetry={() => void records.refetch()}
        />
      )}
      <DataTable
        label="Audit records"
        columns={columns}
        rows={records.isError ? undefined : items}
        error={records.isError}
        empty={filter ? 'No record matches this search.' : 'The audit log is empty.'}
        rowKey={(r) => r.id}
        pageSize={100_000}
        minWidth={980}
        render={(r) => [
          <Text key="when" size="sm" title={r.activityDateTime}>
            {formatInstant(r.activityDateTime)}
          </Text>,
          <Text key="activity" size="sm" lineClamp={2} title={r.activityDisplayName}>
            {r.activityDisplayName}
          </Text>,
          <Text key="actor" size="sm" truncate="end" title={actorName(r.initiatedBy)}>
            {actorName(r.initiatedBy)}
          </Text>,
          <Text key="targets" size="sm" lineClamp={2} title={targetNames(r)}>
            {targetNames(r) || '—'}
          </Text>,
          <Badge key="result" size="sm" variant="light" color={r.result === 'success' ? 'green' : 'red'}>
            {r.result === 'success' ? 'Success' : r.result === 'failure' ? 'Failure' : r.result}
          </Badge>,
          <Button
            key="open"
            size="xs"
            variant="subtle"
            aria-label={`Details of ${r.activityDisplayName} at ${formatInstant(r.activityDateTime)}`}
            onClick={() => setOpen({ record: r, opened: true })}
          >
            Details
          </Button>,
        ]}
        footer={
          records.hasNextPage && (
            <Group justify="center" mt="sm">
              <Button
                variant="default"
                size="xs"
                loading={records.isFetchingNextPage}
                onClick={() => void records.fetchNextPage()}
              >
                Load {pageSize} more
              </Button>
            </Group>
          )
        }
      />
      <AuditRecordDialog
        record={open.record}
        opened={open.opened}
        onClose={() => setOpen((o) => ({ ...o, opened: false }))}
      />
    </Stack>
  );
}
