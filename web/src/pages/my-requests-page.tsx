import { Alert, Button, Group, Modal, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { type Column, DataTable } from '../components/data-table';
import { ErrorAlert, errorMessage } from '../components/error-alert';
import { StatusBadge } from '../components/status-badge';
import { StatusFilterControl } from '../components/status-filter';
import { TargetCell } from '../components/target-cell';
import { rowPhrase } from '../lib/my-access';
import { actionLabels, describeWindow } from '../lib/outcome';
import { type RequestRow, requestSources, requestTime, type StatusFilter } from '../lib/request-rows';
import { formatInstant } from '../lib/time';
import { useMergedPages } from '../lib/use-merged-pages';
import { useSession } from '../session';

export const myRequestFilters: readonly StatusFilter[] = [
  'all',
  'pending',
  'approved',
  'denied',
  'canceled',
  'revoked',
];

const columns: Column[] = [
  { key: 'created', header: 'Requested', width: 150 },
  { key: 'target', header: 'Role or group', width: 200 },
  { key: 'action', header: 'Request', width: 100 },
  { key: 'window', header: 'Duration', width: 130 },
  { key: 'justification', header: 'Justification' },
  { key: 'status', header: 'Status', width: 150 },
  { key: 'cancel', header: 'Action', hidden: true, width: 96 },
];

/** Whether I can still take a request back: it waits for approval, or is granted for a later start. */
const cancelable = (r: RequestRow, now: number): boolean =>
  r.status === 'PendingApproval' ||
  (r.status === 'Granted' &&
    r.scheduleInfo?.startDateTime !== null &&
    r.scheduleInfo?.startDateTime !== undefined &&
    new Date(r.scheduleInfo.startDateTime).getTime() > now);

/** My activation requests on roles and groups, newest first, by status; cancel one that still waits. */
export function MyRequestsPage() {
  const { client, user } = useSession();
  const queryClient = useQueryClient();
  const status = useSearch({ from: '/signed-in/my-requests' }).status ?? 'all';
  const navigate = useNavigate();
  const list = useMergedPages({
    queryKey: ['my-requests', user.id, status],
    sources: requestSources(client, queryClient, { on: 'principal', status }),
    time: requestTime,
  });
  const [canceling, setCanceling] = useState<{ row: RequestRow | null; open: boolean }>({
    row: null,
    open: false,
  });
  const [done, setDone] = useState<string | null>(null);

  return (
    <Stack gap="lg" maw={1180}>
      <div>
        <Title order={1} size="h2">
          My requests
        </Title>
        <Text c="dimmed" size="sm">
          What you asked for and what became of it. A request that waits for approval can be canceled.
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
        options={myRequestFilters}
        onChange={(s) => void navigate({ to: '/my-requests', search: { status: s } })}
      />
      {list.isError && (
        <ErrorAlert title="Your requests could not be loaded" error={list.error} onRetry={list.refetch} />
      )}
      <DataTable
        label="My requests"
        columns={columns}
        rows={list.items}
        error={list.isError}
        empty={
          status === 'all'
            ? 'You have made no request yet. Activating a role on My roles makes one.'
            : 'No request has this status.'
        }
        rowKey={(r) => r.id}
        pageSize={1000}
        minWidth={900}
        render={(r) => [
          formatInstant(r.createdDateTime),
          <TargetCell key="target" row={r} />,
          actionLabels[r.action] ?? r.action,
          describeWindow(r.scheduleInfo, r.createdDateTime),
          <Text key="j" size="sm" lineClamp={2} title={r.justification ?? undefined}>
            {r.justification ?? '—'}
          </Text>,
          <StatusBadge key="status" status={r.status} />,
          cancelable(r, Date.now()) ? (
            <Button
              key="cancel"
              size="xs"
              variant="default"
              aria-label={`Cancel request for ${rowPhrase(r)}`}
              onClick={() => setCanceling({ row: r, open: true })}
            >
              Cancel
            </Button>
          ) : null,
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
      <CancelDialog
        row={canceling.row}
        opened={canceling.open}
        onClose={() => setCanceling((c) => ({ ...c, open: false }))}
        onCanceled={setDone}
      />
    </Stack>
  );
}

function CancelDialog(props: {
  row: RequestRow | null;
  opened: boolean;
  onClose(): void;
  onCanceled(message: string): void;
}) {
  const { row } = props;
  return (
    <Modal opened={props.opened} onClose={props.onClose} title="Cancel request">
      {row && <CancelConfirm key={row.id} row={row} onClose={props.onClose} onCanceled={props.onCanceled} />}
    </Modal>
  );
}

function CancelConfirm(props: { row: RequestRow; onClose(): void; onCanceled(message: string): void }) {
  const { row } = props;
  const { client } = useSession();
  const queryClient = useQueryClient();
  const cancel = useMutation({
    mutationFn: () =>
      row.target.kind === 'group'
        ? client.cancelGroupScheduleRequest('assignment', row.id)
        : client.cancelScheduleRequest('assignment', row.id),
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['my-requests'] }),
        queryClient.invalidateQueries({ queryKey: ['my-access'] }),
      ]);
      props.onCanceled(`Your request for ${rowPhrase(row)} is canceled.`);
      props.onClose();
    },
  });
  return (
    <Stack gap="md">
      <Text size="sm">
        Cancel your request for {rowPhrase(row)} made {formatInstant(row.createdDateTime)}? Approvers are no
        longer asked, and nothing is granted.
      </Text>
      {cancel.isError && (
        <Alert color="red" role="alert" title="Not canceled">
          {errorMessage(cancel.error)}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={props.onClose}>
          Keep it
        </Button>
        <Button color="red" loading={cancel.isPending} onClick={() => cancel.mutate()}>
          Cancel request
        </Button>
      </Group>
    </Stack>
  );
}
