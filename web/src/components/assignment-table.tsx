import { Badge, Button, Group, Pagination, Stack, Text } from '@mantine/core';
import type { AdminAssignment } from '../lib/admin-types';
import { formatInstant } from '../lib/time';
import type { AssignmentChange } from './assignment-change-dialogs';
import { type Column, DataTable } from './data-table';

const columns: Column[] = [
  { key: 'principal', header: 'Principal', width: '17%' },
  { key: 'target', header: 'Role or group' },
  { key: 'type', header: 'Type', width: 100 },
  { key: 'start', header: 'Start', width: 150 },
  { key: 'end', header: 'End', width: 150 },
  { key: 'actions', header: 'Actions', hidden: true, width: 192 },
];

const principalTypes: Record<AdminAssignment['principal']['type'], string> = {
  user: 'User',
  group: 'Group',
  servicePrincipal: 'Application',
};

/** Eligible or active (and how: assigned, or activated by its holder). */
function AssignmentTypeBadge(props: { a: Pick<AdminAssignment, 'kind' | 'assignmentType'> }) {
  const { a } = props;
  if (a.kind === 'eligibility')
    return (
      <Badge variant="light" color="blue" size="sm">
        Eligible
      </Badge>
    );
  return (
    <Badge variant="light" color={a.assignmentType === 'Activated' ? 'teal' : 'green'} size="sm">
      {a.assignmentType === 'Activated' ? 'Activated' : 'Active'}
    </Badge>
  );
}

/** Whether the portal offers Change and Remove: administrators, on roles and groups, never on an activation. */
const changeable = (a: AdminAssignment) =>
  a.targetKind !== 'resourceRole' && a.assignmentType !== 'Activated';

/** One page of assignments (the server pages them): who, what and where, which kind, the window, and actions. */
export function AssignmentTable(props: {
  rows: readonly AdminAssignment[] | undefined;
  error: boolean;
  empty: string;
  canManage: boolean;
  onChange(change: AssignmentChange): void;
  page: number;
  total: number | undefined;
  pageSize: number;
  onPage(page: number): void;
}) {
  const pages = props.total === undefined ? 1 : Math.max(1, Math.ceil(props.total / props.pageSize));
  return (
    <DataTable
      label="Assignments"
      columns={columns}
      rows={props.rows}
      error={props.error}
      empty={props.empty}
      rowKey={(a) => a.id}
      pageSize={1000}
      minWidth={960}
      render={(a) => [
        <Stack gap={0} key="p">
          <Text size="sm" fw={500} truncate title={a.principal.displayName}>
            {a.principal.displayName}
          </Text>
          <Text size="xs" c="dimmed" truncate title={a.principal.userPrincipalName ?? undefined}>
            {a.principal.userPrincipalName ?? principalTypes[a.principal.type]}
          </Text>
        </Stack>,
        <Stack gap={0} key="t">
          <Text size="sm" fw={500} lineClamp={2} title={a.roleDisplayName}>
            {a.targetKind === 'group'
              ? `${a.scopeDisplayName} — ${a.roleDisplayName.toLowerCase()}`
              : a.roleDisplayName}
          </Text>
          <Group gap={6} wrap="nowrap">
            <Text size="xs" c="dimmed" truncate title={a.scopeId}>
              {a.targetKind === 'group' ? 'Group' : a.scopeDisplayName}
            </Text>
            {a.isPrivileged && (
              <Badge
                size="xs"
                color="orange"
                variant="outline"
                title="Microsoft labels this role privileged"
                style={{ flexShrink: 0 }}
              >
                Privileged
              </Badge>
            )}
          </Group>
        </Stack>,
        <AssignmentTypeBadge key="k" a={a} />,
        formatInstant(a.startDateTime),
        a.endDateTime ? formatInstant(a.endDateTime) : 'Permanent',
        props.canManage && changeable(a) ? (
          <Group gap={6} wrap="nowrap" key="a">
            <Button
              size="compact-sm"
              variant="default"
              aria-label={`Change ${a.principal.displayName}'s ${a.roleDisplayName}`}
              onClick={() => props.onChange({ kind: 'update', assignment: a })}
            >
              Change
            </Button>
            <Button
              size="compact-sm"
              variant="light"
              color="red"
              aria-label={`Remove ${a.principal.displayName}'s ${a.roleDisplayName}`}
              onClick={() => props.onChange({ kind: 'remove', assignment: a })}
            >
              Remove
            </Button>
          </Group>
        ) : null,
      ]}
      footer={
        <Group justify="space-between" mt="xs" mih={32}>
          <Text size="sm" c="dimmed" aria-live="polite">
            {props.total === undefined ? '' : `${props.total} in all`}
          </Text>
          {pages > 1 && (
            <Pagination
              size="sm"
              total={pages}
              value={Math.min(props.page, pages)}
              onChange={props.onPage}
              getControlProps={(control) => ({
                'aria-label': control === 'previous' ? 'Previous page' : 'Next page',
              })}
              getItemProps={(p) => ({ 'aria-label': `Page ${p} of assignments` })}
            />
          )}
        </Group>
      }
    />
  );
}
