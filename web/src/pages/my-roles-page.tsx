import { Alert, Badge, Button, Skeleton, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useCallback, useState } from 'react';
import { ActivateDialog } from '../components/activate-dialog';
import { Countdown } from '../components/countdown';
import { DeactivateDialog } from '../components/deactivate-dialog';
import { ErrorAlert } from '../components/error-alert';
import { activationOf, loadMyRoles, type RoleRow, scopeLabel } from '../lib/my-roles';
import { formatInstant } from '../lib/time';
import { useSession } from '../session';

/** A dialog's target; `open` is separate so the content stays while the dialog closes. */
interface DialogState {
  readonly row: RoleRow | null;
  readonly open: boolean;
}
const closed: DialogState = { row: null, open: false };

/** My eligible roles (activate) and my active ones (time left, deactivate). */
export function MyRolesPage() {
  const { client, user } = useSession();
  const queryClient = useQueryClient();
  const roles = useQuery({
    queryKey: ['my-roles', user.id],
    queryFn: () => loadMyRoles(client, queryClient),
    refetchInterval: 60_000,
  });
  const [activating, setActivating] = useState<DialogState>(closed);
  const [deactivating, setDeactivating] = useState<DialogState>(closed);
  const [done, setDone] = useState<string | null>(null);
  const refresh = useCallback(() => void roles.refetch(), [roles.refetch]);

  const eligible = roles.data?.eligible;
  const active = roles.data?.active;

  return (
    <Stack gap="xl" maw={1100}>
      <div>
        <Title order={1} size="h2">
          My roles
        </Title>
        <Text c="dimmed" size="sm">
          Activate a role you are eligible for when you need it; it ends by itself when its time is up.
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

      {roles.isError && (
        <ErrorAlert title="Your roles could not be loaded" error={roles.error} onRetry={refresh} />
      )}

      <section aria-labelledby="eligible-roles">
        <Title order={2} size="h4" id="eligible-roles" mb="xs">
          Eligible roles
        </Title>
        <RolesTable
          label="Eligible roles"
          headers={['Role', 'Scope', 'Membership', 'Eligible until', 'Action']}
          rows={eligible}
          error={roles.isError}
          empty="You are not eligible for any role. An administrator can make you eligible; the role then appears here."
          render={(row) => {
            const activation = active ? activationOf(row, active) : undefined;
            return [
              <RoleName key="role" row={row} />,
              <Scope key="scope" scopeId={row.directoryScopeId} />,
              <Membership key="member" row={row} />,
              row.endDateTime ? formatInstant(row.endDateTime) : 'Permanent',
              activation ? (
                <Badge key="action" color="green" variant="light">
                  Active
                </Badge>
              ) : (
                <Button
                  key="action"
                  size="xs"
                  onClick={() => setActivating({ row, open: true })}
                  aria-label={`Activate ${row.roleName}`}
                >
                  Activate
                </Button>
              ),
            ];
          }}
        />
      </section>

      <section aria-labelledby="active-roles">
        <Title order={2} size="h4" id="active-roles" mb="xs">
          Active roles
        </Title>
        <RolesTable
          label="Active roles"
          headers={['Role', 'Scope', 'Membership', 'State', 'Ends', 'Time left', 'Action']}
          rows={active}
          error={roles.isError}
          empty="No role is active for you now."
          render={(row) => [
            <RoleName key="role" row={row} />,
            <Scope key="scope" scopeId={row.directoryScopeId} />,
            <Membership key="member" row={row} />,
            row.assignmentType === 'Activated' ? 'Activated' : 'Assigned',
            row.endDateTime ? formatInstant(row.endDateTime) : 'Permanent',
            row.endDateTime ? <Countdown key="left" end={row.endDateTime} onEnd={refresh} /> : 'Permanent',
            row.assignmentType === 'Activated' ? (
              <Button
                key="action"
                size="xs"
                variant="default"
                onClick={() => setDeactivating({ row, open: true })}
                aria-label={`Deactivate ${row.roleName}`}
              >
                Deactivate
              </Button>
            ) : (
              <Text key="action" size="xs" c="dimmed">
                Assigned by an administrator
              </Text>
            ),
          ]}
        />
      </section>

      <ActivateDialog
        row={activating.row}
        opened={activating.open}
        onClose={() => setActivating((d) => ({ ...d, open: false }))}
        onActivated={setDone}
      />
      <DeactivateDialog
        row={deactivating.row}
        opened={deactivating.open}
        onClose={() => setDeactivating((d) => ({ ...d, open: false }))}
        onDeactivated={setDone}
      />
    </Stack>
  );
}

/** Fixed column widths, the same before and after the data arrives; the rest share what is left. */
const columnWidths: Readonly<Record<string, string>> = {
  Role: '22%',
  Scope: '11%',
  Membership: '13%',
  State: '10%',
  Ends: '15%',
  'Time left': '11%',
};

/**
 * A table whose header is always shown; while loading, skeleton rows of the final height hold the place, so
 * nothing moves when the data arrives.
 */
function RolesTable(props: {
  label: string;
  headers: readonly string[];
  rows: readonly RoleRow[] | undefined;
  error: boolean;
  empty: string;
  render(row: RoleRow): ReactNode[];
}) {
  const { headers, rows } = props;
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table
        layout="fixed"
        verticalSpacing="sm"
        highlightOnHover
        aria-label={props.label}
        aria-busy={rows === undefined}
      >
        <Table.Thead>
          <Table.Tr>
            {headers.map((h) => (
              <Table.Th key={h} scope="col" w={columnWidths[h]}>
                {h === 'Action' ? <VisuallyHidden>{h}</VisuallyHidden> : h}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows === undefined &&
            !props.error &&
            [0, 1].map((i) => (
              <Table.Tr key={i} aria-hidden>
                {headers.map((h) => (
                  <Table.Td key={h}>
                    <Skeleton h={h === 'Action' ? 30 : 18} w={h === 'Action' ? 84 : '70%'} />
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          {rows?.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={headers.length}>
                <Text size="sm" c="dimmed" py={6}>
                  {props.empty}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
          {rows?.map((row) => (
            <Table.Tr key={row.id}>
              {props.render(row).map((cell, i) => (
                <Table.Td key={headers[i]}>{cell}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function RoleName(props: { row: RoleRow }) {
  return (
    <Text size="sm" fw={500}>
      {props.row.roleName}
    </Text>
  );
}

function Scope(props: { scopeId: string }) {
  return (
    <Text size="sm" title={props.scopeId}>
      {scopeLabel(props.scopeId)}
    </Text>
  );
}

function Membership(props: { row: RoleRow }) {
  const { row } = props;
  if (row.memberType !== 'Group') return <Text size="sm">Direct</Text>;
  return <Text size="sm">{row.groupName ? `Group: ${row.groupName}` : 'Group'}</Text>;
}
