import { Badge, Button, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import {
  activeResourceOf,
  loadMyResourceAccess,
  type ResourceRow,
  resourcePhrase,
  resourceScopeLabel,
} from '../lib/my-access';
import { formatInstant } from '../lib/time';
import { useSession } from '../session';
import { Countdown } from './countdown';
import { type Column, DataTable } from './data-table';
import { ErrorAlert } from './error-alert';
import { ResourceActivateDialog, ResourceDeactivateDialog } from './my-roles-resource-dialog';

const eligibleColumns: Column[] = [
  { key: 'name', header: 'Azure role', width: '24%' },
  { key: 'scope', header: 'Scope', width: '30%' },
  { key: 'via', header: 'Through', width: '13%' },
  { key: 'until', header: 'Eligible until', width: '17%' },
  { key: 'action', header: 'Action', hidden: true },
];

const activeColumns: Column[] = [
  { key: 'name', header: 'Azure role', width: '20%' },
  { key: 'scope', header: 'Scope', width: '25%' },
  { key: 'state', header: 'State', width: '11%' },
  { key: 'ends', header: 'Ends', width: '17%' },
  { key: 'left', header: 'Time left', width: '12%' },
  { key: 'action', header: 'Action', hidden: true },
];

const through = (row: ResourceRow) =>
  row.memberType === 'Group' ? 'Group' : row.memberType === 'Inherited' ? 'Inherited' : 'Direct';

/** The scope's name and its path, so two scopes of the same name are told apart. */
function Scope(props: { row: ResourceRow }) {
  return (
    <Stack gap={0}>
      <Text size="sm" truncate="end" title={props.row.scope}>
        {resourceScopeLabel(props.row)}
      </Text>
      <Text size="xs" c="dimmed" truncate="end" title={props.row.scope}>
        {props.row.scope}
      </Text>
    </Stack>
  );
}

/**
 * My Azure resource roles beside directory roles and groups: each with its scope, window and time left; activate
 * an eligible one, deactivate an activation.
 */
export function MyResourceRoles(props: { onDone(message: string): void }) {
  const { client, user } = useSession();
  const access = useQuery({
    queryKey: ['my-resource-access', user.id],
    queryFn: () => loadMyResourceAccess(client),
    refetchInterval: 60_000,
  });
  const [activating, setActivating] = useState<{ row: ResourceRow | null; open: boolean }>({
    row: null,
    open: false,
  });
  const [deactivating, setDeactivating] = useState<{ row: ResourceRow | null; open: boolean }>({
    row: null,
    open: false,
  });
  const eligible = access.data?.eligible;
  const active = access.data?.active;
  const refresh = useCallback(() => void access.refetch(), [access.refetch]);

  return (
    <section aria-labelledby="resource-roles">
      <Title order={2} size="h4" id="resource-roles" mb="xs">
        Azure resource roles
      </Title>
      {access.isError && (
        <ErrorAlert
          title="Your Azure resource roles could not be loaded"
          error={access.error}
          onRetry={refresh}
        />
      )}
      <Stack gap="xs">
        <Title order={3} size="h6" c="dimmed">
          Eligible
        </Title>
        <DataTable
          label="Eligible Azure resource roles"
          columns={eligibleColumns}
          rows={eligible}
          error={access.isError}
          empty="You are not eligible for any Azure resource role."
          rowKey={(r) => r.id}
          render={(row) => {
            const isActive = active ? activeResourceOf(row, active) !== undefined : false;
            return [
              <Text key="name" size="sm" fw={500}>
                {row.roleName}
              </Text>,
              <Scope key="scope" row={row} />,
              through(row),
              row.endDateTime ? formatInstant(row.endDateTime) : 'Permanent',
              isActive ? (
                <Badge key="action" color="green" variant="light">
                  Active
                </Badge>
              ) : row.memberType === 'Direct' ? (
                <Button
                  key="action"
                  size="xs"
                  aria-label={`Activate ${resourcePhrase(row)}`}
                  onClick={() => setActivating({ row, open: true })}
                >
                  Activate
                </Button>
              ) : (
                <Text key="action" size="xs" c="dimmed">
                  Activate at {row.memberType === 'Inherited' ? 'the scope above' : 'the group'}
                </Text>
              ),
            ];
          }}
        />
        <Title order={3} size="h6" c="dimmed" mt="sm">
          Active
        </Title>
        <DataTable
          label="Active Azure resource roles"
          columns={activeColumns}
          rows={active}
          error={access.isError}
          empty="No Azure resource role is active for you now."
          rowKey={(r) => r.id}
          render={(row) => [
            <Text key="name" size="sm" fw={500}>
              {row.roleName}
            </Text>,
            <Scope key="scope" row={row} />,
            row.assignmentType === 'Activated' ? 'Activated' : 'Assigned',
            row.endDateTime ? formatInstant(row.endDateTime) : 'Permanent',
            row.endDateTime ? <Countdown key="left" end={row.endDateTime} onEnd={refresh} /> : 'Permanent',
            row.assignmentType === 'Activated' && row.memberType === 'Direct' ? (
              <Button
                key="action"
                size="xs"
                variant="default"
                aria-label={`Deactivate ${resourcePhrase(row)}`}
                onClick={() => setDeactivating({ row, open: true })}
              >
                Deactivate
              </Button>
            ) : (
              <Text key="action" size="xs" c="dimmed">
                {row.memberType === 'Direct'
                  ? 'Assigned by an administrator'
                  : `Through ${through(row).toLowerCase()}`}
              </Text>
            ),
          ]}
        />
      </Stack>
      <ResourceActivateDialog
        row={activating.row}
        opened={activating.open}
        onClose={() => setActivating((d) => ({ ...d, open: false }))}
        onDone={props.onDone}
      />
      <ResourceDeactivateDialog
        row={deactivating.row}
        opened={deactivating.open}
        onClose={() => setDeactivating((d) => ({ ...d, open: false }))}
        onDone={props.onDone}
      />
    </section>
  );
}
