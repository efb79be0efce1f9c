import { Badge, CloseButton, Group, SegmentedControl, Select } from '@mantine/core';
import type { AssignmentsSearch } from '../lib/admin-search';
import type { PrincipalRef } from '../lib/admin-types';
import { PrincipalSelect, RoleSelect, ScopeSelect } from './assignment-pickers';

/** The filters a dashboard link may set that have no control of their own, shown as removable chips. */
const chips: { key: keyof AssignmentsSearch; label(s: AssignmentsSearch): string }[] = [
  { key: 'privileged', label: () => 'Privileged roles' },
  { key: 'permanent', label: (s) => (s.permanent ? 'Permanent' : 'Time-bound') },
  { key: 'expiring', label: (s) => `Ending within ${s.expiring} days` },
  { key: 'activated', label: (s) => `Activated in the last ${s.activated} days` },
];

/**
 * Browse assignments by role, group, scope or principal, and by kind; every choice is kept in the page's
 * address, so a list can be shared and the dashboard can link to it.
 */
export function AssignmentFilters(props: {
  search: AssignmentsSearch;
  onSearch(change: Partial<AssignmentsSearch>): void;
  /** Names of the group and principal the address names by id (from the rows shown). */
  known: { group?: PrincipalRef; principal?: PrincipalRef };
}) {
  const { search, onSearch } = props;
  const set = (change: Partial<AssignmentsSearch>) => onSearch({ ...change, page: undefined });
  const groupRole = search.role === 'member' || search.role === 'owner';
  return (
    <Group gap="sm" align="flex-end" wrap="wrap">
      <RoleSelect
        label="Role"
        value={groupRole ? undefined : search.role}
        onChange={(role) => set({ role })}
        clearable
        w={230}
      />
      <PrincipalSelect
        label="Group"
        type="group"
        placeholder="Any group"
        value={search.group ? (props.known.group ?? ref(search.group)) : undefined}
        onChange={(g) => set({ group: g?.id })}
        clearable
        w={190}
      />
      <ScopeSelect
        label="Scope"
        value={search.scope}
        onChange={(scope) => set({ scope })}
        clearable
        w={220}
      />
      <PrincipalSelect
        label="Principal"
        placeholder="Anyone"
        value={search.principal ? (props.known.principal ?? ref(search.principal)) : undefined}
        onChange={(p) => set({ principal: p?.id })}
        clearable
        w={210}
      />
      <Select
        label="Type"
        w={120}
        value={search.kind ?? 'all'}
        onChange={(v) => set({ kind: v === 'eligibility' || v === 'assignment' ? v : undefined })}
        data={[
          { value: 'all', label: 'All' },
          { value: 'eligibility', label: 'Eligible' },
          { value: 'assignment', label: 'Active' },
        ]}
        allowDeselect={false}
      />
      {groupRole && (
        <SegmentedControl
          aria-label="Group access"
          size="xs"
          value={search.role}
          onChange={(role) => set({ role })}
          data={[
            { value: 'member', label: 'Membership' },
            { value: 'owner', label: 'Ownership' },
          ]}
        />
      )}
      {chips
        .filter((c) => search[c.key] !== undefined)
        .map((c) => (
          <Badge
            key={c.key}
            size="lg"
            variant="light"
            tt="none"
            mb={4}
            rightSection={
              <CloseButton
                size="xs"
                aria-label={`Remove filter: ${c.label(search)}`}
                onClick={() => set({ [c.key]: undefined })}
              />
            }
          >
            {c.label(search)}
          </Badge>
        ))}
    </Group>
  );
}

const ref = (id: string): PrincipalRef => ({ id, type: 'user', displayName: id, userPrincipalName: null });
