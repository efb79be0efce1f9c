import { Alert, Button, DataList, Group, Modal, Skeleton, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { type GraphApprovalStep, isApiError } from '../../../src/contracts/browser';
import { rowPhrase, targetScopeLabel } from '../lib/my-access';
import { describeWindow } from '../lib/outcome';
import type { RequestRow } from '../lib/request-rows';
import { settingsQuery } from '../lib/targets';
import { formatInstant } from '../lib/time';
import { useSession } from '../session';
import { errorMessage } from './error-alert';
import { StatusBadge } from './status-badge';

/** "Adam's request for Global Administrator". */
export const requestTitle = (row: RequestRow): string =>
  `${row.principalName ?? 'Someone'}'s request for ${rowPhrase(row)}`;

/** An approver's view of one request: what is asked and why, the decision so far, and Approve or Deny. */
export function ReviewDialog(props: {
  row: RequestRow | null;
  opened: boolean;
  onClose(): void;
  onDecided(message: string): void;
}) {
  const { row } = props;
  return (
    <Modal
      opened={props.opened}
      onClose={props.onClose}
      title={row ? `Review ${requestTitle(row)}` : 'Review'}
      size="lg"
    >
      {row && <Review key={row.id} row={row} onClose={props.onClose} onDecided={props.onDecided} />}
    </Modal>
  );
}

const approvalQuery = (client: ReturnType<typeof useSession>['client'], row: RequestRow) => ({
  queryKey: ['approval', row.approvalId] as const,
  queryFn: () =>
    row.target.kind === 'group'
      ? client.getGroupApproval(row.approvalId ?? '')
      : client.getApproval(row.approvalId ?? ''),
  enabled: row.approvalId !== null,
});

function Review(props: { row: RequestRow; onClose(): void; onDecided(message: string): void }) {
  const { row } = props;
  const { client } = useSession();
  const queryClient = useQueryClient();
  const approval = useQuery(approvalQuery(client, row));
  const settings = useQuery(settingsQuery(client, row.target));
  const [justification, setJustification] = useState('');
  const [missing, setMissing] = useState(false);

  const step = approval.data?.steps.find((s) => s.assignedToMe) ?? approval.data?.steps[0];
  const required = settings.data?.approverJustificationRequired ?? false;

  const decide = useMutation({
    mutationFn: (reviewResult: 'Approve' | 'Deny') => {
      const decision = {
        reviewResult,
        ...(justification.trim() ? { justification: justification.trim() } : {}),
      };
      const approvalId = row.approvalId ?? '';
      return row.target.kind === 'group'
        ? client.decideGroupApprovalStage(approvalId, step?.id ?? '', decision)
        : client.decideApprovalStep(approvalId, step?.id ?? '', decision);
    },
    onSuccess: async (_, reviewResult) => {
      await refresh();
      props.onDecided(`You ${reviewResult === 'Approve' ? 'approved' : 'denied'} ${requestTitle(row)}.`);
      props.onClose();
    },
    // Decided by someone else meanwhile: show what was decided instead of the buttons.
    onError: async (e) => {
      if (isApiError(e) && e.status === 409) await refresh();
    },
  });
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ['approval', row.approvalId] }),
      queryClient.invalidateQueries({ queryKey: ['approvals'] }),
      queryClient.invalidateQueries({ queryKey: ['approvals-pending'] }),
    ]);

  const submit = (reviewResult: 'Approve' | 'Deny') => {
    if (required && !justification.trim()) {
      setMissing(true);
      return;
    }
    decide.mutate(reviewResult);
  };

  const conflict = decide.isError && isApiError(decide.error) && decide.error.status === 409;
  const canDecide = step?.status === 'InProgress' && step.assignedToMe && !conflict;

  return (
    <Stack gap="md">
      <DataList size="sm" labelWidth={140}>
        <Item label="Requester">
          {row.principalName ?? row.principalId}
          {row.principalUpn && (
            <Text span size="sm" c="dimmed">
              {' '}
              ({row.principalUpn})
            </Text>
          )}
        </Item>
        <Item label={row.target.kind === 'group' ? 'Group' : 'Role'}>
          {row.name} · {targetScopeLabel(row.target)}
        </Item>
        <Item label="Requested">{formatInstant(row.createdDateTime)}</Item>
        <Item label="Duration">{describeWindow(row.scheduleInfo, row.createdDateTime)}</Item>
        <Item label="Justification">{row.justification ?? '—'}</Item>
        <Item label="Ticket">
          {row.ticketNumber || row.ticketSystem
            ? [row.ticketNumber, row.ticketSystem && `(${row.ticketSystem})`].filter(Boolean).join(' ')
            : '—'}
        </Item>
        {(!step || step.status === 'InProgress') && !conflict && (
          <Item label="Status">
            <StatusBadge status={row.status} />
          </Item>
        )}
      </DataList>

      {approval.isPending && row.approvalId && <Skeleton h={60} aria-hidden />}
      {approval.isError && (
        <Alert color="red" role="alert" title="The approval could not be read">
          {errorMessage(approval.error)}
        </Alert>
      )}
      {step && step.status !== 'InProgress' && <Decision step={step} />}
      {conflict && (
        <Alert color="yellow" role="alert" title="Already decided">
          {errorMessage(decide.error)}
        </Alert>
      )}
      {step?.status === 'InProgress' && !step.assignedToMe && (
        <Alert color="gray">You are not an approver of this request.</Alert>
      )}

      {canDecide && (
        <>
          <Textarea
            label="Your justification"
            description={
              required
                ? 'Required by the settings: the requester and auditors read it'
                : 'Optional: the requester and auditors read it'
            }
            value={justification}
            onChange={(e) => {
              setJustification(e.currentTarget.value);
              setMissing(false);
            }}
            required={required}
            error={missing ? 'Give a justification with your decision; the settings require one.' : undefined}
            maxLength={500}
            autosize
            minRows={2}
          />
          {decide.isError && !conflict && (
            <Alert color="red" role="alert" title="Not decided">
              {errorMessage(decide.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose}>
              Close
            </Button>
            <Button
              color="red"
              variant="light"
              loading={decide.isPending && decide.variables === 'Deny'}
              disabled={decide.isPending}
              onClick={() => submit('Deny')}
            >
              Deny
            </Button>
            <Button
              color="green"
              loading={decide.isPending && decide.variables === 'Approve'}
              disabled={decide.isPending}
              onClick={() => submit('Approve')}
            >
              Approve
            </Button>
          </Group>
        </>
      )}
      {!canDecide && (
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            Close
          </Button>
        </Group>
      )}
    </Stack>
  );
}

function Item(props: { label: string; children: React.ReactNode }) {
  return (
    <DataList.Item>
      <DataList.ItemLabel>{props.label}</DataList.ItemLabel>
      <DataList.ItemValue>{props.children}</DataList.ItemValue>
    </DataList.Item>
  );
}

const nobody = '00000000-0000-0000-0000-000000000000';

/** The decision taken: by whom, when and why, or that the approval expired or was canceled. */
function Decision(props: { step: GraphApprovalStep }) {
  const { step } = props;
  const { client } = useSession();
  const reviewerId = step.reviewedBy && step.reviewedBy.id !== nobody ? step.reviewedBy.id : null;
  const reviewer = useQuery({
    queryKey: ['user', reviewerId],
    queryFn: async () => (await client.getUser(reviewerId ?? '')).displayName,
    enabled: reviewerId !== null,
    staleTime: 5 * 60_000,
  });
  const result = step.reviewResult.startsWith('Approve')
    ? 'Approved'
    : step.reviewResult.startsWith('Den')
      ? 'Denied'
      : null;
  const color = result === 'Approved' ? 'green' : result === 'Denied' ? 'red' : 'gray';
  return (
    <Alert color={color} title={result ? `${result}` : `Closed (${step.status})`}>
      <Text size="sm">
        {result
          ? `${result} by ${reviewer.data ?? (reviewerId ? 'an approver' : 'nobody')}${step.reviewedDateTime ? ` on ${formatInstant(step.reviewedDateTime)}` : ''}.`
          : 'Nobody decided: the request was canceled or the approval expired.'}
        {step.justification ? ` “${step.justification}”` : ''}
      </Text>
    </Alert>
  );
}
