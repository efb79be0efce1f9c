import { Anchor, Badge, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { CountLink, DashboardStat } from '../components/dashboard-stat';
import { type Column, DataTable } from '../components/data-table';
import { ErrorAlert } from '../components/error-alert';
import { isForbidden, readerRoles } from '../lib/admin-access';
import type { Dashboard } from '../lib/admin-types';
import { formatInstant } from '../lib/time';
import { useSession } from '../session';

const roleColumns: Column[] = [
  { key: 'role', header: 'Privileged role' },
  { key: 'eligible', header: 'Eligible', width: 110 },
  { key: 'active', header: 'Active', width: 110 },
  { key: 'permanent', header: 'Permanent', width: 110 },
];

const emergencyColumns: Column[] = [
  { key: 'name', header: 'Account' },
  { key: 'state', header: 'Sign-in', width: 120 },
  { key: 'active', header: 'Active assignments', width: 170 },
];

/**
 * The administrator's landing page: privileged roles and who holds them, recent activations, what waits for
 * approval, what ends soon and the emergency-access accounts. Every number links to the list it counts.
 */
export function DashboardPage() {
  const { client } = useSession();
  const dashboard = useQuery({ queryKey: ['admin', 'dashboard'], queryFn: () => client.dashboard() });
  const d: Dashboard | undefined = dashboard.data;

  return (
    <Stack gap="lg" maw={1280}>
      <div>
        <Title order={1} size="h2">
          Dashboard
        </Title>
        <Text c="dimmed" size="sm">
          {d ? `Privileged access as of ${formatInstant(d.at)}.` : 'Privileged access now.'} Select a number
          to see what it counts.
        </Text>
      </div>
      {dashboard.isError && (
        <ErrorAlert
          title="The dashboard could not be loaded"
          error={
            isForbidden(dashboard.error) ? new Error(`The dashboard needs ${readerRoles}.`) : dashboard.error
          }
          onRetry={() => void dashboard.refetch()}
        />
      )}
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md" aria-label="Key numbers" role="group">
        <DashboardStat
          label="Eligible assignments"
          hint="Privileged roles"
          value={d?.totals.eligible}
          link={{ to: '/assignments', search: { privileged: true, kind: 'eligibility' } }}
        />
        <DashboardStat
          label="Active assignments"
          hint="Privileged roles"
          value={d?.totals.active}
          link={{ to: '/assignments', search: { privileged: true, kind: 'assignment' } }}
        />
        <DashboardStat
          label="Permanent assignments"
          hint="Privileged roles, no end"
          value={d?.totals.permanent}
          link={{ to: '/assignments', search: { privileged: true, permanent: true } }}
        />
        <DashboardStat
          label="Pending approvals"
          hint="Requests waiting for a decision"
          value={d?.pendingApprovals}
          link={{ to: '/approvals', search: { status: 'pending' } }}
        />
        <DashboardStat
          label="Activations, last 7 days"
          value={d?.activations.last7Days}
          link={{ to: '/assignments', search: { activated: 7 } }}
        />
        <DashboardStat
          label="Activations, last 30 days"
          value={d?.activations.last30Days}
          link={{ to: '/assignments', search: { activated: 30 } }}
        />
        <DashboardStat
          label="Expiring soon"
          hint={`Ending within ${d?.expiringSoon.withinDays ?? 14} days`}
          value={d?.expiringSoon.count}
          link={{ to: '/assignments', search: { expiring: d?.expiringSoon.withinDays ?? 14 } }}
        />
        <DashboardStat
          label="Emergency accounts"
          hint="Break-glass accounts, listed below"
          value={d?.emergencyAccounts.length}
          link={{ to: '/dashboard', hash: 'emergency-accounts' }}
        />
      </SimpleGrid>

      <Stack gap="xs">
        <Title order={2} size="h4">
          Privileged roles
        </Title>
        <DataTable
          label="Privileged roles"
          columns={roleColumns}
          rows={d?.privilegedRoles}
          error={dashboard.isError}
          empty="No privileged role is known."
          rowKey={(r) => r.roleDefinitionId}
          pageSize={10}
          minWidth={600}
          render={(r) => [
            <Anchor
              key="r"
              size="sm"
              fw={500}
              renderRoot={(p) => (
                <Link {...p} to="/assignments" search={{ view: 'holders', role: r.roleDefinitionId }} />
              )}
              title="Who can do what with this role"
            >
              {r.displayName}
            </Anchor>,
            <CountLink
              key="e"
              value={r.eligible}
              label={`eligible for ${r.displayName}`}
              search={{ role: r.roleDefinitionId, kind: 'eligibility' }}
            />,
            <CountLink
              key="a"
              value={r.active}
              label={`active in ${r.displayName}`}
              search={{ role: r.roleDefinitionId, kind: 'assignment' }}
            />,
            <CountLink
              key="p"
              value={r.permanent}
              label={`permanent in ${r.displayName}`}
              search={{ role: r.roleDefinitionId, permanent: true }}
            />,
          ]}
        />
      </Stack>

      <Stack gap="xs">
        <Title order={2} size="h4" id="emergency-accounts">
          Emergency accounts
        </Title>
        <DataTable
          label="Emergency accounts"
          columns={emergencyColumns}
          rows={d?.emergencyAccounts}
          error={dashboard.isError}
          empty="No account is marked for emergency access."
          rowKey={(u) => u.id}
          pageSize={10}
          minWidth={600}
          render={(u) => [
            <Stack gap={0} key="n">
              <Anchor
                size="sm"
                fw={500}
                renderRoot={(p) => <Link {...p} to="/assignments" search={{ principal: u.id }} />}
              >
                {u.displayName}
              </Anchor>
              <Text size="xs" c="dimmed">
                {u.userPrincipalName}
              </Text>
            </Stack>,
            <Badge key="s" size="sm" variant="light" color={u.accountEnabled ? 'green' : 'gray'}>
              {u.accountEnabled ? 'Enabled' : 'Disabled'}
            </Badge>,
            <Text key="a" size="sm">
              {u.activeAssignments}
            </Text>,
          ]}
        />
      </Stack>
    </Stack>
  );
}
