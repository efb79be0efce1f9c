import { Alert, Button, Stack, Table, Text } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { type AccessRow, rowPhrase, targetScopeLabel } from '../lib/my-access';
import type { ActivationItem } from '../lib/use-activation-runner';
import { Requirements } from './requirements';

/** "Scope: Directory (/)", "Membership of the group · grants Helpdesk Administrator, …". */
export function TargetLine(props: { row: AccessRow }) {
  const { row } = props;
  if (row.target.kind === 'group') {
    return (
      <>
        {row.target.accessId === 'owner' ? 'Ownership' : 'Membership'} of the group {row.name}
        {row.grants.length > 0 && ` · grants ${row.grants.join(', ')}`}
      </>
    );
  }
  return (
    <>
      Scope: {targetScopeLabel(row.target)} ({row.target.directoryScopeId})
      {row.via && ` · eligible through ${row.via}`}
    </>
  );
}

/** No authenticator app yet, but a target asks for a code: say so, and where to set one up. */
export function NoAuthenticator(props: { rows: readonly AccessRow[]; allOfThem: boolean }) {
  const names = props.rows.map(rowPhrase).join(', ');
  return (
    <Alert color="yellow" role="alert" title="Set up an authenticator app first">
      <Stack gap="xs" align="flex-start">
        <Text size="sm">
          {names} {props.rows.length === 1 ? 'requires' : 'require'} multi-factor authentication: a code from
          an authenticator app at each activation. You have no authenticator app set up yet
          {props.allOfThem ? '.' : '; the others are activated without it.'}
        </Text>
        <Button component={Link} to="/authenticator" size="xs" variant="light">
          Set up authenticator
        </Button>
      </Stack>
    </Alert>
  );
}

/** The targets of a multi-activation: what each requires, and the duration each will get. */
export function SelectedTargets(props: {
  items: readonly ActivationItem[];
  describe(item: ActivationItem): string;
}) {
  const { items } = props;
  return (
    <Table layout="fixed" aria-label="Selected roles and groups" verticalSpacing={6}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col" w="34%">
            Role or group
          </Table.Th>
          <Table.Th scope="col" w="16%">
            Scope
          </Table.Th>
          <Table.Th scope="col">Requires</Table.Th>
          <Table.Th scope="col" w="22%">
            Duration
          </Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {items.map((item) => (
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
              <Requirements settings={item.settings} label={`What ${rowPhrase(item.row)} requires`} compact />
            </Table.Td>
            <Table.Td>
              <Text size="sm">{props.describe(item)}</Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
