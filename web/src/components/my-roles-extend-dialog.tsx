import {
  Alert,
  Button,
  Group,
  Modal,
  NumberInput,
  Skeleton,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { ScheduleKind } from '../../../src/contracts/browser';
import { rowPhrase } from '../lib/my-access';
import { needsStepUp, settingsQuery, stepUpTarget, type Target } from '../lib/targets';
import { formatInstant } from '../lib/time';
import { useSession } from '../session';
import { errorMessage } from './error-alert';

/** What to extend (it ends soon) or renew (it ended lately): an eligibility or an assignment of a role or group. */
export interface ExtendRequest {
  readonly mode: 'extend' | 'renew';
  readonly kind: ScheduleKind;
  readonly target: Target;
  readonly name: string;
  /** When it ends (extend) or ended (renew). */
  readonly end: string;
}

const verb = (r: ExtendRequest) => (r.mode === 'extend' ? 'Extend' : 'Renew');
const what = (r: ExtendRequest) =>
  `${rowPhrase(r)} ${r.kind === 'eligibility' ? 'eligibility' : 'assignment'}`;

/**
 * Ask an administrator to extend an assignment that ends within 14 days, or to renew one that ended in the last
 * 30 (`selfExtend` / `selfRenew`): a new length and a reason; an administrator approves or denies it.
 */
export function ExtendDialog(props: {
  request: ExtendRequest | null;
  opened: boolean;
  onClose(): void;
  onDone(message: string): void;
}) {
  const r = props.request;
  return (
    <Modal opened={props.opened} onClose={props.onClose} title={r ? `${verb(r)} ${what(r)}` : 'Extend'}>
      {r && (
        <ExtendForm
          key={`${r.mode}:${r.kind}:${r.end}`}
          request={r}
          onClose={props.onClose}
          onDone={props.onDone}
        />
      )}
    </Modal>
  );
}

function ExtendForm(props: { request: ExtendRequest; onClose(): void; onDone(message: string): void }) {
  const r = props.request;
  const { client, user } = useSession();
  const queryClient = useQueryClient();
  const [days, setDays] = useState<number | string>(90);
  const [justification, setJustification] = useState('');
  const [ticketNumber, setTicketNumber] = useState('');
  const [ticketSystem, setTicketSystem] = useState('');
  const [code, setCode] = useState('');
  // The activation rules apply to a person's own requests: MFA, ticket (Enablement_EndUser_Assignment).
  const settings = useQuery(settingsQuery(client, r.target));
  const stepUp = settings.data ? needsStepUp(settings.data) : false;
  const n = Number(days);
  const daysError =
    !Number.isInteger(n) || n < 1 || n > 3650 ? 'A whole number of days, 1 to 3650.' : undefined;

  const send = useMutation({
    mutationFn: async () => {
      const action = r.mode === 'extend' ? 'selfExtend' : 'selfRenew';
      const proof = stepUp
        ? { stepUpProof: (await client.stepUp({ ...stepUpTarget(r.target), totp: code.trim() })).proof }
        : {};
      const common = {
        action,
        principalId: user.id,
        justification: justification.trim(),
        ...(ticketNumber.trim() || ticketSystem.trim()
          ? { ticketInfo: { ticketNumber: ticketNumber.trim(), ticketSystem: ticketSystem.trim() } }
          : {}),
        // From the server's now: the browser's clock may run ahead of it.
        scheduleInfo: { expiration: { type: 'afterDuration', duration: `P${n}D` } },
      };
      const t = r.target;
      const sent =
        t.kind === 'group'
          ? await client.createGroupScheduleRequest(
              r.kind,
              { ...common, groupId: t.groupId, accessId: t.accessId },
              proof,
            )
          : await client.createScheduleRequest(
              r.kind,
              { ...common, roleDefinitionId: t.roleDefinitionId, directoryScopeId: t.directoryScopeId },
              proof,
            );
      return sent.status;
    },
    onSuccess: async (status) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['my-access'] }),
        queryClient.invalidateQueries({ queryKey: ['my-renewable'] }),
        queryClient.invalidateQueries({ queryKey: ['my-requests'] }),
      ]);
      props.onDone(
        status === 'PendingApproval'
          ? `Your request to ${r.mode} ${what(r)} waits for an administrator's approval; My requests shows it.`
          : `${what(r)} is ${r.mode === 'extend' ? 'extended' : 'renewed'}.`,
      );
      props.onClose();
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!daysError && settings.data) send.mutate();
  };
  if (settings.isError) {
    return (
      <Alert color="red" role="alert" title="The settings could not be read">
        {errorMessage(settings.error)}
      </Alert>
    );
  }
  if (!settings.data) {
    return (
      <Stack gap="md" aria-hidden>
        <Skeleton h={22} w="70%" />
        <Skeleton h={58} />
        <Skeleton h={84} />
        <Skeleton h={36} w={200} ml="auto" />
      </Stack>
    );
  }

  return (
    <form onSubmit={submit} aria-label={`${verb(r)} ${what(r)}`}>
      <Stack gap="md">
        <Text size="sm">
          {r.mode === 'extend'
            ? `It ends ${formatInstant(r.end)}. An administrator approves or denies the extension.`
            : `It ended ${formatInstant(r.end)}. An administrator approves or denies the renewal.`}
        </Text>
        <NumberInput
          label="For (days from now)"
          description="The role's settings may allow less; the approver sees what you asked for."
          min={1}
          max={3650}
          allowDecimal={false}
          value={days}
          onChange={setDays}
          error={daysError}
          required
        />
        <Textarea
          label="Justification"
          autosize
          minRows={2}
          maxLength={500}
          value={justification}
          onChange={(e) => setJustification(e.currentTarget.value)}
          required
        />
        {settings.data.requiresTicket && (
          <Group grow>
            <TextInput
              label="Ticket number"
              value={ticketNumber}
              onChange={(e) => setTicketNumber(e.currentTarget.value)}
              required
            />
            <TextInput
              label="Ticket system"
              value={ticketSystem}
              onChange={(e) => setTicketSystem(e.currentTarget.value)}
              required
            />
          </Group>
        )}
        {stepUp && (
          <TextInput
            label="Authenticator code"
            description="Its settings ask you to confirm it is you: the 6-digit code of your authenticator app."
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={8}
            value={code}
            onChange={(e) => setCode(e.currentTarget.value)}
            required
          />
        )}
        {send.isError && (
          <Alert color="red" role="alert" title="Not sent">
            {errorMessage(send.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={send.isPending}>
            Ask to {r.mode}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
