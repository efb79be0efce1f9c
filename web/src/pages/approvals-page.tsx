import { Alert, Button, Group, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { type Column, DataTable } from '../components/data-table';
import { ErrorAlert } from '../components/error-alert';
import { ReviewDialog, requestTitle } from '../components/review-dialog';
import { StatusBadge } from '../components/status-badge';
import { StatusFilterControl } from '../components/status-filter';
import { TargetCell } from '../components/target-cell';
import { describeWindow } from '../lib/outcome';
import { type RequestRow, requestSources, requestTime, type StatusFilter } from '../lib/request-rows';
import { formatInstant } from '../lib/time';
import { useMergedPages } from '../lib/use-merged-pages';
import { useSession } from '../session';

export const approvalFilters: readonly StatusFilter[] = ['pending', 'decided', 'all'];

const columns: Column[] = [
  { key: 'created', header: 'Requested', width: 150 },
  { key: 'requester', header: 'Requester', width: 150 },
  { key: 'target', header: 'Role or group', width: 190 },
  { key: 'window', header: 'Duration', width: 100 },
  { key: 'justification', header: 'Justification and ticket' },
  { key: 'status', header: 'Status', width: 150 },
  { key: 'review', header: 'Action', hidden: true, width: 96 },
];

/** The requests I may decide, on roles and groups: waiting ones first by default, decided ones on request. */
export function ApprovalsPage() {
  const { client, user } = useSession();
  const queryClient = useQueryClient();
  const status = useSearch({ from: '/signed-in/approvals' }).status ?? 'pending';
  const navigate = useNavigate();
  const list = useMergedPages({
    queryKey: ['approvals', user.id, status],
    sources: requestSources(client, queryClient, { on: 'approver', status }),
    time: requestTime,
  });
  const [reviewing, setReviewing] = useState<{ row: RequestRow | null; open: boolean }>({
    row: null,
    open: false,
  });
  const [done, setDone] = useState<string | null>(null);

  return (
    <Stack gap="lg" maw={1240}>
      <div>
        <Title order={1} size="h2">
          Approve requests
        </Title>
        <Text c="dimmed" size="sm">
          Requests for roles and groups whose settings name you as an approver. The first decision counts.
        </Text>
        <div role="status" aria-live="polite">
          {done && (
            <Alert
              mt="md"
              color="green"
              withCloseButton
              closeButtonLabel="Dismiss"
              onClose={() => setDone(null)}
            >
              {done}
            </Alert>
          )}
        </div>
      </div>
      <StatusFilterControl
        value={status}
        options={approvalFilters}
        onChange={(s) => void navigate({ to: '/approvals', search: { status: s } })}
      />
      {list.isError && (
        <ErrorAlert title="The requests could not be loaded" error={list.error} onRetry={list.refetch} />
      )}
      <DataTable
        label="Requests to approve"
        columns={columns}
        rows={list.items}
        error={list.isError}
        empty={status === 'pending' ? 'Nothing waits for your decision.' : 'No request here.'}
        rowKey={(r) => r.id}
        pageSize={1000}
        minWidth={960}
        render={(r) => [
          formatInstant(r.createdDateTime),
          <Stack key="who" gap={0}>
            <Text size="sm" fw={500}>
              {r.principalName ?? r.principalId}
            </Text>
            {r.principalUpn && (
              <Text size="xs" c="dimmed" truncate="end">
                {r.principalUpn}
              </Text>
            )}
          </Stack>,
          <TargetCell key="target" row={r} />,
          describeWindow(r.scheduleInfo, r.createdDateTime),
          <Stack key="j" gap={0}>
            <Text size="sm" lineClamp={2} title={r.justification ?? undefined}>
              {r.justification ?? '—'}
            </Text>
            {(r.ticketNumber || r.ticketSystem) && (
              <Text size="xs" c="dimmed">
                Ticket {[r.ticketNumber, r.ticketSystem && `(${r.ticketSystem})`].filter(Boolean).join(' ')}
              </Text>
            )}
          </Stack>,
          <StatusBadge key="status" status={r.status} />,
          <Button
            key="review"
            size="xs"
            variant={r.status === 'PendingApproval' ? 'filled' : 'default'}
            aria-label={`Review ${requestTitle(r)}`}
            onClick={() => setReviewing({ row: r, open: true })}
            disabled={r.approvalId === null}
          >
            {r.status === 'PendingApproval' ? 'Review' : 'Details'}
          </Button>,
        ]}
        footer={
          list.hasMore && (
            <Group justify="center" mt="sm">
              <Button variant="default" size="xs" loading={list.loadingMore} onClick={list.loadMore}>
                Load more
              </Button>
            </Group>
          )
        }
      />
      <ReviewDialog
        row={reviewing.row}
        opened={reviewing.open}
        onClose={() => setReviewing((r) => ({ ...r, open: false }))}
        onDecided={setDone}
      />
    </Stack>
  );
}
