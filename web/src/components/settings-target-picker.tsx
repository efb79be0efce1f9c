import { Group, SegmentedControl, Select, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { roleNamesQuery } from '../lib/my-access';
import { type SettingsTargetChoice, scopePattern } from '../lib/settings-target';
import { useSession } from '../session';

/**
 * Whose settings to edit: a directory role (searchable list of every role), or a group's membership or
 * ownership (groups found by the start of their name).
 */
export function SettingsTargetPicker(props: {
  value: SettingsTargetChoice;
  onChange(value: SettingsTargetChoice): void;
}) {
  const { value, onChange } = props;
  return (
    <Group align="flex-end" gap="md" wrap="wrap">
      <SegmentedControl
        aria-label="Kind of target"
        value={value.kind}
        onChange={(kind) =>
          onChange(
            kind === 'group'
              ? { kind: 'group', accessId: 'member' }
              : kind === 'resourceRole'
                ? { kind: 'resourceRole' }
                : { kind: 'directoryRole' },
          )
        }
        data={[
          { value: 'directoryRole', label: 'Directory role' },
          { value: 'group', label: 'Group' },
          { value: 'resourceRole', label: 'Azure role' },
        ]}
      />
      {value.kind === 'directoryRole' ? (
        <RolePicker
          roleId={value.roleDefinitionId}
          onChange={(roleDefinitionId) => onChange({ kind: 'directoryRole', roleDefinitionId })}
        />
      ) : value.kind === 'resourceRole' ? (
        <AzureRolePicker value={value} onChange={onChange} />
      ) : (
        <>
          <GroupPicker groupId={value.groupId} onChange={(groupId) => onChange({ ...value, groupId })} />
          <SegmentedControl
            aria-label="Group access"
            value={value.accessId}
            onChange={(accessId) =>
              onChange({ ...value, accessId: accessId === 'owner' ? 'owner' : 'member' })
            }
            data={[
              { value: 'member', label: 'Membership' },
              { value: 'owner', label: 'Ownership' },
            ]}
          />
        </>
      )}
    </Group>
  );
}

/** An ARM scope typed as a path (checked when it is left), then one of the Azure roles there. */
function AzureRolePicker(props: {
  value: Extract<SettingsTargetChoice, { kind: 'resourceRole' }>;
  onChange(value: SettingsTargetChoice): void;
}) {
  const { value, onChange } = props;
  const { client } = useSession();
  const [scope, setScope] = useState(value.scope ?? '');
  const scopeError =
    scope !== '' && !scopePattern.test(scope) ? 'An ARM scope path starts with /.' : undefined;
  const roles = useQuery({
    queryKey: ['azure-roles', value.scope],
    queryFn: () => client.listAzureRoles(value.scope ?? '/'),
    enabled: value.scope !== undefined,
    staleTime: 5 * 60_000,
  });
  const commit = () => {
    const next = scope.trim().replace(/(.)\/+$/, '$1');
    if (next !== '' && scopePattern.test(next) && next !== value.scope)
      onChange({ kind: 'resourceRole', scope: next });
  };
  return (
    <>
      <TextInput
        label="Scope"
        placeholder="/subscriptions/{id}/resourceGroups/{name}"
        w={360}
        value={scope}
        onChange={(e) => setScope(e.currentTarget.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
        }}
        error={scopeError ?? (roles.isError ? 'No such scope: check the path.' : undefined)}
      />
      <Select
        label="Azure role"
        placeholder={value.scope === undefined ? 'Enter a scope first' : 'Type to search roles'}
        searchable
        w={280}
        disabled={value.scope === undefined || !roles.data}
        data={(roles.data ?? [])
          .map((r) => ({ value: r.id.toLowerCase(), label: r.roleName }))
          .sort((a, b) => a.label.localeCompare(b.label))}
        value={value.roleDefinitionId?.toLowerCase() ?? null}
        onChange={(id) => id && onChange({ ...value, roleDefinitionId: id })}
        nothingFoundMessage="No role has that name"
        allowDeselect={false}
      />
    </>
  );
}

function RolePicker(props: { roleId: string | undefined; onChange(roleId: string): void }) {
  const { client } = useSession();
  const roles = useQuery(roleNamesQuery(client));
  const data = roles.data
    ? [...roles.data.entries()]
        .map(([id, name]) => ({ value: id, label: name }))
        .sort((a, b) => a.label.localeCompare(b.label))
    : [];
  return (
    <Select
      label="Role"
      placeholder={roles.isPending ? 'Loading roles…' : 'Type to search roles'}
      searchable
      w={340}
      data={data}
      value={props.roleId?.toLowerCase() ?? null}
      onChange={(id) => id && props.onChange(id)}
      nothingFoundMessage="No role has that name"
      error={roles.isError ? 'The roles could not be loaded.' : undefined}
      allowDeselect={false}
    />
  );
}

function GroupPicker(props: { groupId: string | undefined; onChange(groupId: string): void }) {
  const { client } = useSession();
  const [search, setSearch] = useState('');
  const [text] = useDebouncedValue(search.trim(), 250);
  const found = useQuery({
    queryKey: ['settings-group-search', text],
    queryFn: async () => (await client.searchPrincipals(text, { users: false, top: 20 })).groups,
    enabled: text.length > 0,
    staleTime: 30_000,
  });
  const chosen = useQuery({
    queryKey: ['group', props.groupId],
    queryFn: () => client.getGroup(props.groupId ?? ''),
    enabled: props.groupId !== undefined,
    staleTime: 5 * 60_000,
  });
  const options = new Map<string, string>();
  if (chosen.data) options.set(chosen.data.id, chosen.data.displayName);
  for (const g of found.data ?? []) options.set(g.id, g.displayName);
  return (
    <Select
      label="Group"
      placeholder="Type the start of a group's name"
      searchable
      w={300}
      data={[...options].map(([value, label]) => ({ value, label }))}
      value={props.groupId ?? null}
      onChange={(id) => id && props.onChange(id)}
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: all }) => all}
      nothingFoundMessage={
        text.length === 0 ? 'Type to search' : found.isPending ? 'Searching…' : 'No group found'
      }
      allowDeselect={false}
    />
  );
}
