import { Alert, Badge, Button, Checkbox, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { ActivateDialog } from '../components/activate-dialog';
import { Countdown } from '../components/countdown';
import { type Column, DataTable } from '../components/data-table';
import { DeactivateDialog } from '../components/deactivate-dialog';
import { ErrorAlert } from '../components/error-alert';
import { ExtendDialog, type ExtendRequest } from '../components/my-roles-extend-dialog';
import { MyResourceRoles } from '../components/my-roles-resources';
import { type AccessRow, activeOf, loadMyAccess, rowPhrase, targetScopeLabel } from '../lib/my-access';
import { canExtend, liveKeys, loadRenewable, type RenewableRow } from '../lib/my-renewals';
import { formatInstant } from '../lib/time';
import { useSession } from '../session';

const eligibleColumns = (selectAll: Column['headerCell']): Column[] => [
  { key: 'select', header: 'Select', width: 44, headerCell: selectAll },
  { key: 'name', header: 'Role or group', width: '30%' },
  { key: 'scope', header: 'Scope', width: '13%' },
  { key: 'via', header: 'Through', width: '16%' },
  { key: 'until', header: 'Eligible until', width: '16%' },
  { key: 'action', header: 'Action', hidden: true },
];

const activeColumns: Column[] = [
  { key: 'name', header: 'Role or group', width: '25%' },
  { key: 'scope', header: 'Scope', width: '11%' },
  { key: 'via', header: 'Through', width: '15%' },
  { key: 'state', header: 'State', width: '9%' },
  { key: 'ends', header: 'Ends', width: '17%' },
  { key: 'left', header: 'Time left', width: '11%' },
  { key: 'action', header: 'Action', hidden: true },
];

const expiredColumns: Column[] = [
  { key: 'name', header: 'Role or group', width: '30%' },
  { key: 'scope', header: 'Scope', width: '16%' },
  { key: 'kind', header: 'Was', width: '12%' },
  { key: 'ended', header: 'Ended', width: '20%' },
  { key: 'action', header: 'Action', hidden: true },
];

/**
 * My eligible roles and group accesses (activate one, or select several and activate them with one form) and
 * my active ones (time left, deactivate) — directory roles and PIM for Groups side by side, then Azure resource
 * roles with their scope. Assignments that end within 14 days can be extended, those that ended in the last 30
 * renewed (both on an administrator's approval).
 */
export function MyRolesPage() {
  const { client, user } = useSession();
  const queryClient = useQueryClient();
  const access = useQuery({
    queryKey: ['my-access', user.id],
    queryFn: () => loadMyAccess(client, user, queryClient),
    refetchInterval: 60_000,
  });
  const [activating, setActivating] = useState<{ rows: readonly AccessRow[]; open: boolean }>({
    rows: [],
    open: false,
  });
  const [deactivating, setDeactivating] = useState<{ row: AccessRow | null; open: boolean }>({
    row: null,
    open: false,
  });
  const [extending, setExtending] = useState<{ request: ExtendRequest | null; open: boolean }>({
    request: null,
    open: false,
  });
  const extend = (row: AccessRow, kind: 'eligibility' | 'assignment') =>
    row.endDateTime &&
    setExtending({
      request: { mode: 'extend', kind, target: row.target, name: row.name, end: row.endDateTime },
      open: true,
    });
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [done, setDone] = useState<string | null>(null);
  const refresh = useCallback(() => void access.refetch(), [access.refetch]);

  const eligible = access.data?.eligible;
  const active = access.data?.active;
  const renewable = useQuery({
    queryKey: ['my-renewable', user.id, eligible?.length, active?.length],
    queryFn: () => loadRenewable(client, user, queryClient, liveKeys(eligible ?? [], active ?? [])),
    enabled: eligible !== undefined && active !== undefined,
    staleTime: 60_000,
  });
  const now = Date.now();
  const selectable = useMemo(
    () => (eligible && active ? eligible.filter((r) => !activeOf(r, active) && !r.pendingApproval) : []),
    [eligible, active],
  );
  const chosen = selectable.filter((r) => selected.has(r.id));
  const toggle = (id: string, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const allChosen = selectable.length > 0 && chosen.length === selectable.length;

  const selectAll = (
    <Checkbox
      aria-label="Select all eligible roles and groups"
      checked={allChosen}
      indeterminate={chosen.length > 0 && !allChosen}
      disabled={selectable.length === 0}
      onChange={(e) => setSelected(new Set(e.currentTarget.checked ? selectable.map((r) => r.id) : []))}
    />
  );

  return (
    <Stack gap="xl" maw={1180}>
      <div>
        <Title order={1} size="h2">
          My roles
        </Title>
        <Text c="dimmed" size="sm">
          Activate a role or group you are eligible for when you need it — select several to activate them
          together. It ends by itself when its time is up.
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

      {access.isError && (
        <ErrorAlert title="Your roles could not be loaded" error={access.error} onRetry={refresh} />
      )}

      <section aria-labelledby="eligible-roles">
        <Group justify="space-between" mb="xs" wrap="nowrap">
          <Title order={2} size="h4" id="eligible-roles">
            Eligible roles and groups
          </Title>
          <Button
            size="xs"
            disabled={chosen.length === 0}
            onClick={() => setActivating({ rows: chosen, open: true })}
          >
            {chosen.length === 0 ? 'Activate selected' : `Activate selected (${chosen.length})`}
          </Button>
        </Group>
        <DataTable
          label="Eligible roles"
          columns={eligibleColumns(selectAll)}
          rows={eligible}
          error={access.isError}
          empty="You are not eligible for any role or group. An administrator can make you eligible; it then appears here."
          rowKey={(row) => row.id}
          render={(row) => {
            const isActive = active ? activeOf(row, active) !== undefined : false;
            const blocked = isActive || row.pendingApproval;
            return [
              <Checkbox
                key="select"
                aria-label={`Select ${rowPhrase(row)}`}
                disabled={blocked}
                checked={!blocked && selected.has(row.id)}
                onChange={(e) => toggle(row.id, e.currentTarget.checked)}
              />,
              <Name key="name" row={row} />,
              targetScopeLabel(row.target),
              <Via key="via" row={row} />,
              row.endDateTime ? formatInstant(row.endDateTime) : 'Permanent',
              isActive ? (
                <Badge key="action" color="green" variant="light">
                  Active
                </Badge>
              ) : row.pendingApproval ? (
                <Badge key="action" color="yellow" variant="light" title="See My requests">
                  Pending approval
                </Badge>
              ) : (
                <Group key="action" gap={6} wrap="nowrap">
                  <Button
                    size="xs"
                    onClick={() => setActivating({ rows: [row], open: true })}
                    aria-label={`Activate ${rowPhrase(row)}`}
                  >
                    Activate
                  </Button>
                  {canExtend(row, now) && (
                    <Button
                      size="xs"
                      variant="default"
                      onClick={() => extend(row, 'eligibility')}
                      aria-label={`Extend ${rowPhrase(row)} eligibility`}
                    >
                      Extend
                    </Button>
                  )}
                </Group>
              ),
            ];
          }}
        />
      </section>

      <section aria-labelledby="active-roles">
        <Title order={2} size="h4" id="active-roles" mb="xs">
          Active roles and groups
        </Title>
        <DataTable
          label="Active roles"
          columns={activeColumns}
          rows={active}
          error={access.isError}
          empty="No role or group is active for you now."
          rowKey={(row) => row.id}
          render={(row) => [
            <Name key="name" row={row} />,
            targetScopeLabel(row.target),
            <Via key="via" row={row} />,
            row.assignmentType === 'Activated' ? 'Activated' : 'Assigned',
            row.endDateTime ? formatInstant(row.endDateTime) : 'Permanent',
            row.endDateTime ? <Countdown key="left" end={row.endDateTime} onEnd={refresh} /> : 'Permanent',
            canExtend(row, now) ? (
              <Button
                key="action"
                size="xs"
                variant="default"
                onClick={() => extend(row, 'assignment')}
                aria-label={`Extend ${rowPhrase(row)} assignment`}
              >
                Extend
              </Button>
            ) : (
              <ActiveAction
                key="action"
                row={row}
                onDeactivate={() => setDeactivating({ row, open: true })}
              />
            ),
          ]}
        />
      </section>

      {renewable.data && renewable.data.length > 0 && (
        <section aria-labelledby="expired-roles">
          <Title order={2} size="h4" id="expired-roles" mb="xs">
            Expired in the last 30 days
          </Title>
          <DataTable
            label="Expired roles and groups"
            columns={expiredColumns}
            rows={renewable.data}
            empty="Nothing expired lately."
            rowKey={(r) => r.id}
            render={(r: RenewableRow) => [
              <Text key="name" size="sm" fw={500}>
                {r.name}
              </Text>,
              targetScopeLabel(r.target),
              r.kind === 'eligibility' ? 'Eligible' : 'Active',
              formatInstant(r.endedAt),
              <Button
                key="action"
                size="xs"
                variant="default"
                aria-label={`Renew ${rowPhrase(r)} ${r.kind === 'eligibility' ? 'eligibility' : 'assignment'}`}
                onClick={() =>
                  setExtending({
                    request: { mode: 'renew', kind: r.kind, target: r.target, name: r.name, end: r.endedAt },
                    open: true,
                  })
                }
              >
                Renew
              </Button>,
            ]}
          />
        </section>
      )}

      <MyResourceRoles onDone={setDone} />

      <ActivateDialog
        rows={activating.rows}
        opened={activating.open}
        onClose={() => {
          setActivating((d) => ({ ...d, open: false }));
          setSelected(new Set());
        }}
        onActivated={setDone}
      />
      <DeactivateDialog
        row={deactivating.row}
        opened={deactivating.open}
        onClose={() => setDeactivating((d) => ({ ...d, open: false }))}
        onDeactivated={setDone}
      />
      <ExtendDialog
        request={extending.request}
        opened={extending.open}
        onClose={() => setExtending((d) => ({ ...d, open: false }))}
        onDone={setDone}
      />
    </Stack>
  );
}

function ActiveAction(props: { row: AccessRow; onDeactivate(): void }) {
  const { row } = props;
  if (row.assignmentType === 'Activated' && row.via === null) {
    return (
      <Button
        size="xs"
        variant="default"
        onClick={props.onDeactivate}
        aria-label={`Deactivate ${rowPhrase(row)}`}
      >
        Deactivate
      </Button>
    );
  }
  return (
    <Text size="xs" c="dimmed">
      {row.via ? `Ends with ${row.via}` : 'Assigned by an administrator'}
    </Text>
  );
}

/** The role's or group's name; for a group I may join, the roles it holds ("→ Helpdesk Administrator, …"). */
function Name(props: { row: AccessRow }) {
  const { row } = props;
  return (
    <Stack gap={2}>
      <Group gap={6} wrap="nowrap">
        <Text size="sm" fw={500} truncate="end" title={row.name}>
          {row.name}
        </Text>
        {row.target.kind === 'group' && (
          <Badge size="xs" variant="outline" color="gray">
            Group
          </Badge>
        )}
      </Group>
      {row.grants.length > 0 && (
        <Text size="xs" c="dimmed">
          → {row.grants.join(', ')}
        </Text>
      )}
    </Stack>
  );
}

function Via(props: { row: AccessRow }) {
  const { row } = props;
  return <Text size="sm">{row.via === null ? 'Direct' : `Group: ${row.via}`}</Text>;
}
