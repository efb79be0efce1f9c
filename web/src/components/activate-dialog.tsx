import {
  Alert,
  Badge,
  Button,
  Checkbox,
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
import {
  type ActivationSettings,
  addDuration,
  type GraphScheduleRequest,
  parseDuration,
  type ScheduleRequestBody,
} from '../../../src/contracts/browser';
import { type RoleRow, scopeLabel } from '../lib/my-roles';
import { describeMinutes, durationMinutes, formatInstant, isoFromMinutes } from '../lib/time';
import { useSession } from '../session';
import { errorMessage } from './error-alert';

/** The shortest activation the form offers, in minutes. */
const shortest = 30;

interface ActivateDialogProps {
  /** The eligible role to activate; the dialog is open while it is set. */
  readonly row: RoleRow | null;
  readonly opened: boolean;
  onClose(): void;
  /** Called with a sentence describing the outcome once the server accepted the request. */
  onActivated(message: string): void;
}

/** Activate one eligible role: duration, justification, ticket and an optional later start. */
export function ActivateDialog(props: ActivateDialogProps) {
  const { row } = props;
  return (
    <Modal
      opened={props.opened}
      onClose={props.onClose}
      title={row ? `Activate ${row.roleName}` : 'Activate'}
      size="lg"
    >
      {row && <ActivateForm key={row.id} row={row} onClose={props.onClose} onActivated={props.onActivated} />}
    </Modal>
  );
}

function ActivateForm(props: { row: RoleRow; onClose(): void; onActivated(message: string): void }) {
  const { row } = props;
  const { client } = useSession();
  const settings = useQuery({
    queryKey: ['activation-settings', row.roleDefinitionId.toLowerCase(), row.directoryScopeId],
    queryFn: () => client.getActivationSettings(row.roleDefinitionId, row.directoryScopeId),
    staleTime: 30_000,
  });

  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        Scope: {scopeLabel(row.directoryScopeId)} ({row.directoryScopeId})
        {row.memberType === 'Group' && ` · eligible through ${row.groupName ?? 'a group'}`}
      </Text>
      {settings.isPending && <FormSkeleton />}
      {settings.isError && (
        <Alert color="red" role="alert" title="The role's settings could not be read">
          {errorMessage(settings.error)}
        </Alert>
      )}
      {settings.data && (
        <ActivationFields
          row={row}
          settings={settings.data}
          onClose={props.onClose}
          onActivated={props.onActivated}
        />
      )}
    </Stack>
  );
}

function FormSkeleton() {
  return (
    <Stack gap="md" aria-hidden>
      <Skeleton h={22} w="60%" />
      <Skeleton h={58} />
      <Skeleton h={84} />
      <Skeleton h={58} />
      <Skeleton h={36} w={200} ml="auto" />
    </Stack>
  );
}

function ActivationFields(props: {
  row: RoleRow;
  settings: ActivationSettings;
  onClose(): void;
  onActivated(message: string): void;
}) {
  const { row, settings } = props;
  const { client, user } = useSession();
  const queryClient = useQueryClient();

  const maximum = durationMinutes(settings.maximumDuration) ?? 8 * 60;
  // An activation never outlasts its eligibility: offer no more than what is left of it.
  const eligibleLeft = row.endDateTime
    ? Math.floor((new Date(row.endDateTime).getTime() - Date.now()) / 60_000)
    : Number.POSITIVE_INFINITY;
  const longest = Math.max(1, Math.min(maximum, eligibleLeft));

  const [hours, setHours] = useState<number | string>(round2(longest / 60));
  const [justification, setJustification] = useState('');
  const [ticketNumber, setTicketNumber] = useState('');
  const [ticketSystem, setTicketSystem] = useState('');
  const [startLater, setStartLater] = useState(false);
  const [startAt, setStartAt] = useState('');

  const minutes = Math.round(Number(hours) * 60);
  const durationError =
    !Number.isFinite(minutes) || minutes < Math.min(shortest, longest)
      ? `At least ${describeMinutes(Math.min(shortest, longest))}`
      : minutes > longest
        ? `At most ${describeMinutes(longest)}`
        : null;

  const activate = useMutation({
    mutationFn: (body: ScheduleRequestBody) => client.createScheduleRequest('assignment', body),
    onSuccess: async (request) => {
      await queryClient.invalidateQueries({ queryKey: ['my-roles'] });
      props.onActivated(outcome(row.roleName, request));
      props.onClose();
    },
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (durationError) return;
    const ticket = { ticketNumber: ticketNumber.trim(), ticketSystem: ticketSystem.trim() };
    activate.mutate({
      action: 'selfActivate',
      principalId: user.id,
      roleDefinitionId: row.roleDefinitionId,
      directoryScopeId: row.directoryScopeId,
      ...(justification.trim() ? { justification: justification.trim() } : {}),
      scheduleInfo: {
        ...(startLater && startAt ? { startDateTime: new Date(startAt).toISOString() } : {}),
        expiration: { type: 'afterDuration', duration: isoFromMinutes(minutes) },
      },
      ...(ticket.ticketNumber || ticket.ticketSystem ? { ticketInfo: ticket } : {}),
    });
  }

  return (
    <form onSubmit={submit} aria-label={`Activate ${row.roleName}`}>
      <Stack gap="md">
        <Requirements settings={settings} />
        <NumberInput
          label="Duration (hours)"
          description={`Up to ${describeMinutes(longest)}${longest < maximum ? ', when your eligibility ends' : ''}`}
          value={hours}
          onChange={setHours}
          min={round2(Math.min(shortest, longest) / 60)}
          max={round2(longest / 60)}
          step={0.5}
          decimalScale={2}
          clampBehavior="blur"
          error={durationError}
          required
        />
        <Textarea
          label="Justification"
          description="Why you need the role now; approvers and auditors read it"
          value={justification}
          onChange={(e) => setJustification(e.currentTarget.value)}
          required={settings.requiresJustification}
          maxLength={500}
          autosize
          minRows={2}
          maxRows={6}
        />
        <Group grow align="flex-start">
          <TextInput
            label="Ticket number"
            value={ticketNumber}
            onChange={(e) => setTicketNumber(e.currentTarget.value)}
            required={settings.requiresTicket}
            maxLength={100}
          />
          <TextInput
            label="Ticket system"
            value={ticketSystem}
            onChange={(e) => setTicketSystem(e.currentTarget.value)}
            required={settings.requiresTicket}
            maxLength={100}
          />
        </Group>
        <Checkbox
          label="Start later"
          checked={startLater}
          onChange={(e) => setStartLater(e.currentTarget.checked)}
        />
        {startLater && (
          <TextInput
            type="datetime-local"
            label="Start at"
            description="Your local time"
            value={startAt}
            onChange={(e) => setStartAt(e.currentTarget.value)}
            required
          />
        )}
        {activate.isError && (
          <Alert color="red" role="alert" title="Activation refused">
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

/** What the role's settings ask for, so nobody learns it from a refusal. */
function Requirements(props: { settings: ActivationSettings }) {
  const s = props.settings;
  const asks = [
    s.requiresJustification && 'Justification',
    s.requiresTicket && 'Ticket',
    (s.requiresMfa || s.authenticationContext) && 'Multi-factor authentication',
    s.requiresApproval && 'Approval',
  ].filter((a): a is string => typeof a === 'string');
  return (
    <Group gap="xs" aria-label="What this role's settings require">
      <Text size="sm">Requires:</Text>
      {asks.length === 0 ? (
        <Text size="sm">nothing more</Text>
      ) : (
        asks.map((a) => (
          <Badge key={a} variant="light">
            {a}
          </Badge>
        ))
      )}
    </Group>
  );
}

/** A sentence for the request the server accepted. */
function outcome(roleName: string, request: GraphScheduleRequest): string {
  const info = request.scheduleInfo;
  const start = info?.startDateTime ? new Date(info.startDateTime) : null;
  const duration = info?.expiration.duration ? parseDuration(info.expiration.duration) : null;
  const end = info?.expiration.endDateTime
    ? new Date(info.expiration.endDateTime)
    : start && duration
      ? addDuration(start, duration)
      : null;
  const until = end ? ` until ${formatInstant(end.toISOString())}` : '';
  switch (request.status) {
    case 'Provisioned':
      return `${roleName} is active${until}.`;
    case 'Granted':
      return start
        ? `${roleName} will be active from ${formatInstant(start.toISOString())}${until}.`
        : `${roleName} is granted${until}.`;
    case 'PendingApproval':
      return `Your request for ${roleName} waits for an approver (request ${request.id}).`;
    default:
      return `Your request for ${roleName} is ${request.status} (request ${request.id}).`;
  }
}

const round2 = (n: number): number => Math.round(n * 100) / 100;
