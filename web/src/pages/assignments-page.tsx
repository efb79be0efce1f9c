import { Alert, Button, Group, Stack, Tabs, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { AssignmentAddDialog } from '../components/assignment-add-dialog';
import { AssignmentBulkDialog } from '../components/assignment-bulk-dialog';
import { type AssignmentChange, AssignmentChangeDialog } from '../components/assignment-change-dialogs';
import { AssignmentFilters } from '../components/assignment-filters';
import { emptyTarget, type TargetDraft } from '../components/assignment-form-fields';
import { AssignmentHolders } from '../components/assignment-holders';
import { AssignmentTable } from '../components/assignment-table';
import { ErrorAlert } from '../components/error-alert';
import { isForbidden, managerRoles, readerRoles, useAdminAccess } from '../lib/admin-access';
import { type AssignmentsSearch, adminPageSize, assignmentQuery } from '../lib/admin-search';
import type { PrincipalRef } from '../lib/admin-types';
import { useSession } from '../session';

/**
 * Assignments, for administrators: browse by role, group, scope or principal; add, change and remove eligible and
 * active assignments, one or many at once; and see who can do what with a role, and by which path.
 */
export function AssignmentsPage() {
  const search = useSearch({ from: '/signed-in/assignments' });
  const navigate = useNavigate();
  const access = useAdminAccess();
  const canManage = access.data?.canManage ?? false;
  const [adding, setAdding] = useState<'one' | 'many' | null>(null);
  const [change, setChange] = useState<AssignmentChange>(null);
  const [done, setDone] = useState<string | null>(null);
  const onSearch = (c: Partial<AssignmentsSearch>) =>
    void navigate({
      to: '/assignments',
      search: (prev: AssignmentsSearch) =>
        Object.fromEntries(
          Object.entries({ ...prev, ...c }).filter((e) => e[1] !== undefined),
        ) as AssignmentsSearch,
    });
  const view = search.view === 'holders' ? 'holders' : 'list';

  return (
    <Stack gap="lg" maw={1280}>
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <div>
          <Title order={1} size="h2">
            Assignments
          </Title>
          <Text c="dimmed" size="sm">
            Who is eligible for or holds each role and group, and since when. Readers of PIM see everything;
            {` ${managerRoles}s`} change it.
          </Text>
        </div>
        {canManage && (
          <Group gap="xs">
            <Button variant="default" onClick={() => setAdding('many')}>
              Bulk add
            </Button>
            <Button onClick={() => setAdding('one')}>Add assignment</Button>
          </Group>
        )}
      </Group>
      <div role="status" aria-live="polite">
        {done && (
          <Alert color="green" withCloseButton closeButtonLabel="Dismiss" onClose={() => setDone(null)}>
            {done}
          </Alert>
        )}
      </div>
      <Tabs
        value={view}
        onChange={(v) => onSearch({ view: v === 'holders' ? 'holders' : undefined, page: undefined })}
        keepMounted={false}
      >
        <Tabs.List>
          <Tabs.Tab value="list">Assignments</Tabs.Tab>
          <Tabs.Tab value="holders">Who can do what</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="list" pt="md">
          <AssignmentList search={search} onSearch={onSearch} canManage={canManage} onChange={setChange} />
        </Tabs.Panel>
        <Tabs.Panel value="holders" pt="md">
          <AssignmentHolders search={search} onSearch={onSearch} />
        </Tabs.Panel>
      </Tabs>
      <AssignmentAddDialog
        opened={adding === 'one'}
        onClose={() => setAdding(null)}
        onAdded={setDone}
        initialTarget={targetFromSearch(search)}
      />
      <AssignmentBulkDialog opened={adding === 'many'} onClose={() => setAdding(null)} onDone={setDone} />
      <AssignmentChangeDialog change={change} onClose={() => setChange(null)} onDone={setDone} />
    </Stack>
  );
}

/** The role (and directory scope) the page shows, as a starting point for a new assignment. */
function targetFromSearch(s: AssignmentsSearch): TargetDraft | undefined {
  if (!s.role || s.role === 'member' || s.role === 'owner') return undefined;
  const scope =
    s.scope && !s.scope.startsWith('/subscriptions') && !s.scope.startsWith('/providers') ? s.scope : '/';
  return { ...emptyTarget, roleDefinitionId: s.role, scope };
}

function AssignmentList(props: {
  search: AssignmentsSearch;
  onSearch(change: Partial<AssignmentsSearch>): void;
  canManage: boolean;
  onChange(change: AssignmentChange): void;
}) {
  const { client } = useSession();
  const { search } = props;
  const query = assignmentQuery(search);
  const list = useQuery({
    queryKey: ['admin', 'assignments', query],
    queryFn: () => client.adminAssignments(query),
    placeholderData: keepPreviousData,
  });
  const rows = list.data?.items;
  const known: { group?: PrincipalRef; principal?: PrincipalRef } = {};
  const first = rows?.[0];
  if (first && search.principal) known.principal = first.principal;
  if (first && search.group && first.targetKind === 'group')
    known.group = {
      id: first.scopeId,
      type: 'group',
      displayName: first.scopeDisplayName,
      userPrincipalName: null,
    };
  const filtered = Object.keys(search).some((k) => k !== 'page' && k !== 'view');

  return (
    <Stack gap="md">
      <AssignmentFilters search={search} onSearch={props.onSearch} known={known} />
      {list.isError && (
        <ErrorAlert
          title="Assignments could not be loaded"
          error={isForbidden(list.error) ? new Error(`This page needs ${readerRoles}.`) : list.error}
          onRetry={() => void list.refetch()}
        />
      )}
      <AssignmentTable
        rows={rows}
        error={list.isError}
        empty={
          filtered ? 'No assignment matches these filters.' : 'Nobody is eligible for or holds any role yet.'
        }
        canManage={props.canManage}
        onChange={props.onChange}
        page={search.page ?? 1}
        total={list.data?.total}
        pageSize={adminPageSize}
        onPage={(p) => props.onSearch({ page: p === 1 ? undefined : p })}
      />
    </Stack>
  );
}
