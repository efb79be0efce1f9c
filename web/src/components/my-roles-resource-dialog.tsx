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
import type { ActivationSettings } from '../../../src/contracts/browser';
import { type ResourceRow, resourcePhrase } from '../lib/my-access';
import { describeMinutes, durationMinutes, formatInstant, isoFromMinutes } from '../lib/time';
import { useSession } from '../session';
import { errorMessage } from './error-alert';
import { Requirements } from './requirements';

/** What the server said about a resource-role request, for the page's status line. */
const outcomeText = (row: ResourceRow, status: string, end: string | null): string =>
  status === 'PendingApproval'
    ? `Your request for ${resourcePhrase(row)} waits for an approver.`
    : end
      ? `${resourcePhrase(row)} is active until ${formatInstant(end)}.`
      : `${resourcePhrase(row)} is active.`;

/** Activate an eligible Azure resource role at its scope: duration, justification, ticket and step-up as its settings ask. */
export function ResourceActivateDialog(props: {
  row: ResourceRow | null;
  opened: boolean;
  onClose(): void;
  onDone(message: string): void;
}) {
  const { row } = props;
  return (
    <Modal
      opened={props.opened}
      onClose={props.onClose}
      title={row ? `Activate ${resourcePhrase(row)}` : 'Activate'}
      size="lg"
    >
      {row && (
        <ResourceActivateContent key={row.id} row={row} onClose={props.onClose} onDone={props.onDone} />
      )}
    </Modal>
  );
}

function ResourceActivateContent(props: {
  row: ResourceRow;
  onClose(): void;
  onDone(message: string): void;
}) {
  const { row } = props;
  const { client } = useSession();
  const settings = useQuery({
    queryKey: ['resource-activation-settings', row.scope, row.roleDefinitionId],
    queryFn: () => client.getResourceActivationSettings(row.scope, row.roleDefinitionId),
    staleTime: 30_000,
  });
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
        <Skeleton h={22} w="60%" />
        <Skeleton h={58} />
        <Skeleton h={84} />
        <Skeleton h={36} w={200} ml="auto" />
      </Stack>
    );
  }
  return (
    <ResourceActivateForm row={row} settings={settings.data} onClose={props.onClose} onDone={props.onDone} />
  );
}

function ResourceActivateForm(props: {
  row: ResourceRow;
  settings: ActivationSettings;
  onClose(): void;
  onDone(message: string): void;
}) {
  const { row, settings } = props;
  const { client, user } = useSession();
  const queryClient = useQueryClient();
  const maximum = durationMinutes(settings.maximumDuration) ?? 8 * 60;
  const eligibleLeft = row.endDateTime
    ? Math.floor((new Date(row.endDateTime).getTime() - Date.now()) / 60_000)
    : Number.POSITIVE_INFINITY;
  const longest = Math.max(1, Math.min(maximum, eligibleLeft));
  const [hours, setHours] = useState<number | string>(Math.round((longest / 60) * 100) / 100);
  const [justification, setJustification] = useState('');
  const [ticketNumber, setTicketNumber] = useState('');
  const [ticketSystem, setTicketSystem] = useState('');
  const [code, setCode] = useState('');
  const minutes = Math.round(Number(hours) * 60);
  const durationError =
    !Number.isFinite(minutes) || minutes < 5
      ? 'At least 5 minutes.'
      : minutes > longest
        ? `At most ${describeMinutes(longest)}.`
        : undefined;
  const stepUp = settings.requiresMfa || settings.authenticationContext !== null;

  const activate = useMutation({
    mutationFn: async () => {
      const proof = stepUp
        ? (
            await client.stepUp({
              roleDefinitionId: row.roleDefinitionId,
              scope: row.scope,
              totp: code.trim(),
            })
          ).proof
        : undefined;
      return client.putRoleAssignmentScheduleRequest(
        row.scope,
        crypto.randomUUID(),
        {
          principalId: user.id,
          roleDefinitionId: row.roleDefinitionId,
          requestType: 'SelfActivate',
          ...(justification.trim() ? { justification: justification.trim() } : {}),
          // No start: the server's now (the browser's clock may run ahead of it).
          scheduleInfo: { expiration: { type: 'AfterDuration', duration: isoFromMinutes(minutes) } },
          ...(ticketNumber.trim() || ticketSystem.trim()
            ? { ticketInfo: { ticketNumber: ticketNumber.trim(), ticketSystem: ticketSystem.trim() } }
            : {}),
        },
        proof ? { stepUpProof: proof } : {},
      );
    },
    onSuccess: async (request) => {
      await queryClient.invalidateQueries({ queryKey: ['my-resource-access'] });
      const info = request.properties.scheduleInfo;
      const start = info?.startDateTime ? new Date(info.startDateTime).getTime() : Date.now();
      const end =
        info?.expiration.endDateTime ??
        new Date(
          start + (durationMinutes(info?.expiration.duration ?? '') ?? minutes) * 60_000,
        ).toISOString();
      props.onDone(outcomeText(row, request.properties.status, end));
      props.onClose();
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!durationError) activate.mutate();
  };

  return (
    <form onSubmit={submit} aria-label={`Activate ${resourcePhrase(row)}`}>
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          {row.roleName} at {row.scope}
        </Text>
        <Requirements settings={settings} label="What this role's settings require" />
        <NumberInput
          label="Duration (hours)"
          description={`Up to ${describeMinutes(longest)}`}
          min={0.1}
          max={24}
          step={0.5}
          decimalScale={2}
          value={hours}
          onChange={setHours}
          error={durationError}
          required
        />
        <Textarea
          label="Justification"
          autosize
          minRows={2}
          maxLength={500}
          value={justification}
          onChange={(e) => setJustification(e.currentTarget.value)}
          required={settings.requiresJustification}
        />
        {settings.requiresTicket && (
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
            description="This role asks you to confirm it is you: the 6-digit code of your authenticator app."
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={8}
            value={code}
            onChange={(e) => setCode(e.currentTarget.value)}
            required
          />
        )}
        {activate.isError && (
          <Alert color="red" role="alert" title="Not activated">
            {errorMessage(activate.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={activate.isPending}>
            Activate
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** End my activation of an Azure resource role before its time is up. */
export function ResourceDeactivateDialog(props: {
  row: ResourceRow | null;
  opened: boolean;
  onClose(): void;
  onDone(message: string): void;
}) {
  const { row } = props;
  const { client, user } = useSession();
  const queryClient = useQueryClient();
  const deactivate = useMutation({
    mutationFn: (r: ResourceRow) =>
      client.putRoleAssignmentScheduleRequest(r.scope, crypto.randomUUID(), {
        principalId: user.id,
        roleDefinitionId: r.roleDefinitionId,
        requestType: 'SelfDeactivate',
      }),
    onSuccess: async (_request, r) => {
      await queryClient.invalidateQueries({ queryKey: ['my-resource-access'] });
      props.onDone(`${resourcePhrase(r)} is no longer active.`);
      props.onClose();
    },
  });
  return (
    <Modal
      opened={props.opened}
      onClose={props.onClose}
      title={row ? `Deactivate ${resourcePhrase(row)}` : 'Deactivate'}
    >
      {row && (
        <Stack gap="md">
          <Text size="sm">
            End your activation of {resourcePhrase(row)} now? You can activate it again later.
          </Text>
          {deactivate.isError && (
            <Alert color="red" role="alert" title="Not deactivated">
              {errorMessage(deactivate.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose}>
              Keep it
            </Button>
            <Button color="red" loading={deactivate.isPending} onClick={() => deactivate.mutate(row)}>
              Deactivate
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
