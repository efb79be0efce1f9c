import { Badge, Group, Pagination, SegmentedControl, Skeleton, Stack, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { isForbidden, readerRoles } from '../lib/admin-access';
import { type AssignmentsSearch, adminPageSize } from '../lib/admin-search';
import type { RoleHolder, RoleHolders } from '../lib/admin-types';
import { formatInstant } from '../lib/time';
import { useSession } from '../session';
import { RoleSelect, ScopeSelect } from './assignment-pickers';
import { type Column, DataTable } from './data-table';
import { ErrorAlert } from './error-alert';

const columns: Column[] = [
  { key: 'principal', header: 'Principal', width: '24%' },
  { key: 'state', header: 'Access', width: 110 },
  { key: 'path', header: 'How' },
  { key: 'scope', header: 'Where from', width: '22%' },
  { key: 'window', header: 'Until', width: 160 },
];

const memberships: Record<NonNullable<RoleHolder['group']>['membership'], string> = {
  static: 'member',
  assigned: 'assigned member',
  activated: 'activated member',
  eligible: 'eligible member — must activate the membership',
};

/** "Directly" or "Through PAG-HELPDESK (activated member)". */
const pathOf = (h: RoleHolder): string =>
  h.group ? `Through group ${h.group.displayName} (${memberships[h.group.membership]})` : 'Directly';

/**
 * Who can do what: everyone holding a role at a scope now — active or only eligible, directly or through a group,
 * at the scope or inherited from one above it — as the access check sees it.
 */
export function AssignmentHolders(props: {
  search: AssignmentsSearch;
  onSearch(change: Partial<AssignmentsSearch>): void;
}) {
  const { client } = useSession();
  const { search } = props;
  const role = search.role && search.role !== 'member' && search.role !== 'owner' ? search.role : undefined;
  const page = search.page ?? 1;
  const holders = useQuery({
    queryKey: ['admin', 'holders', role, search.scope ?? '/', search.state, search.via, page],
    queryFn: () =>
      client.roleHolders(role ?? '', {
        scope: search.scope ?? '/',
        top: adminPageSize,
        skip: (page - 1) * adminPageSize,
        ...(search.state ? { state: search.state } : {}),
        ...(search.via ? { memberType: search.via } : {}),
      }),
    enabled: role !== undefined,
    placeholderData: keepPreviousData,
  });
  const data: RoleHolders | undefined = holders.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / adminPageSize)) : 1;

  return (
    <Stack gap="md">
      <Group gap="sm" align="flex-end" wrap="wrap">
        <RoleSelect value={role} onChange={(r) => props.onSearch({ role: r, page: undefined })} />
        <ScopeSelect
          label="At scope"
          value={search.scope ?? '/'}
          onChange={(scope) => props.onSearch({ scope: scope === '/' ? undefined : scope, page: undefined })}
        />
        <SegmentedControl
          aria-label="Active or eligible"
          size="xs"
          value={search.state ?? 'all'}
          onChange={(v) =>
            props.onSearch({ state: v === 'active' || v === 'eligible' ? v : undefined, page: undefined })
          }
          data={[
            { value: 'all', label: 'All' },
            { value: 'active', label: 'Active' },
            { value: 'eligible', label: 'Eligible' },
          ]}
        />
        <SegmentedControl
          aria-label="Direct or through a group"
          size="xs"
          value={search.via ?? 'all'}
          onChange={(v) =>
            props.onSearch({ via: v === 'Direct' || v === 'Group' ? v : undefined, page: undefined })
          }
          data={[
            { value: 'all', label: 'Any path' },
            { value: 'Direct', label: 'Direct' },
            { value: 'Group', label: 'Through a group' },
          ]}
        />
      </Group>
      {role === undefined ? (
        <Text c="dimmed" size="sm">
          Choose a role to see who holds it, and how.
        </Text>
      ) : (
        <>
          <Summary data={data} loading={holders.isPending} />
          {holders.isError && (
            <ErrorAlert
              title="Who holds this role could not be loaded"
              error={
                isForbidden(holders.error) ? new Error(`This view needs ${readerRoles}.`) : holders.error
              }
              onRetry={() => void holders.refetch()}
            />
          )}
          <DataTable
            label="Who can do what"
            columns={columns}
            rows={data?.items}
            error={holders.isError}
            empty="Nobody holds this role at this scope in this way."
            rowKey={(h) => `${h.principal.id}-${h.scheduleId}-${h.group?.id ?? ''}`}
            pageSize={1000}
            minWidth={900}
            render={(h) => [
              <Stack gap={0} key="p">
                <Text size="sm" fw={500} truncate>
                  {h.principal.displayName}
                </Text>
                <Text size="xs" c="dimmed" truncate>
                  {h.principal.userPrincipalName ?? h.principal.type}
                </Text>
              </Stack>,
              <Badge key="s" size="sm" variant="light" color={h.state === 'active' ? 'green' : 'blue'}>
                {h.state === 'active' ? 'Active' : 'Eligible'}
              </Badge>,
              <Text key="h" size="sm">
                {pathOf(h)}
              </Text>,
              <Text key="w" size="sm">
                {h.inheritedFrom
                  ? `Inherited from ${h.inheritedFrom === '/' ? 'the directory' : h.inheritedFrom}`
                  : 'This scope'}
              </Text>,
              h.endDateTime ? formatInstant(h.endDateTime) : 'Permanent',
            ]}
            footer={
              pages > 1 && (
                <Group justify="flex-end" mt="xs">
                  <Pagination
                    size="sm"
                    total={pages}
                    value={Math.min(page, pages)}
                    onChange={(p) => props.onSearch({ page: p === 1 ? undefined : p })}
                    getControlProps={(control) => ({
                      'aria-label': control === 'previous' ? 'Previous page' : 'Next page',
                    })}
                    getItemProps={(p) => ({ 'aria-label': `Page ${p} of who can do what` })}
                  />
                </Group>
              )
            }
          />
        </>
      )}
    </Stack>
  );
}

/** The role's holders at a glance; skeletons of the same size while loading. */
function Summary(props: { data: RoleHolders | undefined; loading: boolean }) {
  const s = props.data?.summary;
  const items: [string, number | undefined][] = [
    ['principals', s?.principals],
    ['active', s?.active],
    ['eligible', s?.eligible],
    ['direct', s?.direct],
    ['through a group', s?.group],
    ['inherited', s?.inherited],
  ];
  return (
    <Group gap="xs" aria-label="Summary" role="group" mih={26}>
      {items.map(([label, n]) =>
        n === undefined ? (
          <Skeleton key={label} h={22} w={92} radius="xl" />
        ) : (
          <Badge key={label} variant="default" size="lg" radius="xl" tt="none">
            {n} {label}
          </Badge>
        ),
      )}
    </Group>
  );
}
