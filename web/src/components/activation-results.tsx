import { Badge, Button, Group, Loader, Stack, Table, Text, TextInput } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { rowPhrase, targetScopeLabel } from '../lib/my-access';
import type { ActivationItem, ItemState } from '../lib/use-activation-runner';

/**
 * What became of each target of a multi-activation, with a code field for each target that asks for one:
 * a code is good for one target only, so each gets its own.
 */
export function ActivationResults(props: {
  items: readonly ActivationItem[];
  states: Readonly<Record<string, ItemState>>;
  busy: boolean;
  onRetry(item: ActivationItem, code: string): Promise<void>;
  onClose(): void;
}) {
  const waitingForCode = props.items.filter((i) => props.states[i.row.id]?.kind === 'needsCode').length;
  return (
    <Stack gap="md">
      <div role="status" aria-live="polite">
        <Text size="sm">
          {props.busy
            ? 'Sending your requests…'
            : waitingForCode > 0
              ? `${waitingForCode} ${waitingForCode === 1 ? 'waits' : 'wait'} for a code from your authenticator app. Enter the code your app shows now; for the next one, wait until the app shows a new code.`
              : 'Done. Your requests were sent; each line says what became of it.'}
        </Text>
      </div>
      <Table layout="fixed" aria-label="Activation results" verticalSpacing="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col" w="32%">
              Role or group
            </Table.Th>
            <Table.Th scope="col" w="16%">
              Scope
            </Table.Th>
            <Table.Th scope="col">Outcome</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {props.items.map((item) => (
            <Table.Tr key={item.row.id}>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {item.row.name}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{targetScopeLabel(item.row.target)}</Text>
              </Table.Td>
              <Table.Td>
                <Outcome item={item} state={props.states[item.row.id]} onRetry={props.onRetry} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group justify="flex-end">
        <Button onClick={props.onClose} disabled={props.busy}>
          Close
        </Button>
      </Group>
    </Stack>
  );
}

const doneLabels: Readonly<Record<string, string>> = {
  Provisioned: 'Active',
  Granted: 'Scheduled',
  PendingApproval: 'Pending approval',
};
const doneColors: Readonly<Record<string, string>> = { Granted: 'teal', PendingApproval: 'yellow' };

function Outcome(props: {
  item: ActivationItem;
  state: ItemState | undefined;
  onRetry(item: ActivationItem, code: string): Promise<void>;
}) {
  const { state } = props;
  switch (state?.kind) {
    case undefined:
    case 'waiting':
      return (
        <Text size="sm" c="dimmed">
          Waiting
        </Text>
      );
    case 'sending':
      return (
        <Group gap="xs">
          <Loader size="xs" />
          <Text size="sm">Sending…</Text>
        </Group>
      );
    case 'done':
      return (
        <Group gap="xs" wrap="nowrap" align="flex-start">
          <Badge
            color={doneColors[state.request.status] ?? 'green'}
            variant="light"
            style={{ flexShrink: 0 }}
          >
            {doneLabels[state.request.status] ?? state.request.status}
          </Badge>
          <Text size="sm">{state.message}</Text>
        </Group>
      );
    case 'refused':
      return (
        <Group gap="xs" wrap="nowrap" align="flex-start">
          <Badge color="red" variant="light" style={{ flexShrink: 0 }}>
            Refused
          </Badge>
          <Text size="sm">{state.message}</Text>
        </Group>
      );
    case 'noAuthenticator':
      return (
        <Group gap="xs" wrap="nowrap" align="flex-start">
          <Badge color="yellow" variant="light" style={{ flexShrink: 0 }}>
            Not sent
          </Badge>
          <Text size="sm">
            Requires a code from an authenticator app, and you have none set up.{' '}
            <Link to="/authenticator">Set up authenticator</Link>
          </Text>
        </Group>
      );
    case 'needsCode':
      return <CodeEntry item={props.item} state={state} onRetry={props.onRetry} />;
  }
}

function CodeEntry(props: {
  item: ActivationItem;
  state: Extract<ItemState, { kind: 'needsCode' }>;
  onRetry(item: ActivationItem, code: string): Promise<void>;
}) {
  const [code, setCode] = useState('');
  const [sending, setSending] = useState(false);
  const what = rowPhrase(props.item.row);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSending(true);
    await props.onRetry(props.item, code);
    setSending(false);
  }
  return (
    <form onSubmit={submit} aria-label={`Code for ${what}`}>
      <Stack gap={6} align="flex-start">
        <TextInput
          size="xs"
          label={`Authenticator code for ${what}`}
          description={props.state.reason}
          autoComplete="one-time-code"
          inputMode="numeric"
          maxLength={10}
          required
          value={code}
          onChange={(e) => setCode(e.currentTarget.value)}
          error={props.state.codeError}
          w="100%"
        />
        <Button type="submit" size="xs" loading={sending}>
          Verify and activate
        </Button>
      </Stack>
    </form>
  );
}
