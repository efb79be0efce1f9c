import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { PrincipalRef } from '../lib/admin-types';
import { roleNamesQuery } from '../lib/my-access';
import { useSession } from '../session';

const principalTypeLabels: Record<PrincipalRef['type'], string> = {
  user: 'User',
  group: 'Group',
  servicePrincipal: 'Application',
};

/** A principal for people: "Adam Smith (adam@contoso.com)", "PAG-HELPDESK (group)". */
export const principalLabel = (p: PrincipalRef): string =>
  p.userPrincipalName
    ? `${p.displayName} (${p.userPrincipalName})`
    : `${p.displayName} (${principalTypeLabels[p.type].toLowerCase()})`;

/** Every directory role, searchable by name. */
export function RoleSelect(props: {
  label?: string;
  value: string | undefined;
  onChange(roleId: string | undefined): void;
  clearable?: boolean;
  required?: boolean;
  w?: number | string;
}) {
  const { client } = useSession();
  const roles = useQuery(roleNamesQuery(client));
  const data = roles.data
    ? [...roles.data.entries()]
        .map(([value, label]) => ({ value, label }))
        .sort((a, b) => a.label.localeCompare(b.label))
    : [];
  return (
    <Select
      label={props.label ?? 'Role'}
      placeholder={roles.isPending ? 'Loading roles…' : 'Type to search roles'}
      searchable
      clearable={props.clearable}
      required={props.required}
      w={props.w ?? 280}
      data={data}
      value={props.value?.toLowerCase() ?? null}
      onChange={(id) => props.onChange(id ?? undefined)}
      nothingFoundMessage="No role has that name"
      error={roles.isError ? 'The roles could not be loaded.' : undefined}
    />
  );
}

/** The directory, its administrative units and the registered resource scopes. */
export function ScopeSelect(props: {
  label?: string;
  value: string | undefined;
  onChange(scope: string | undefined): void;
  directoryOnly?: boolean;
  clearable?: boolean;
  w?: number | string;
}) {
  const { client } = useSession();
  const scopes = useQuery({
    queryKey: ['admin-scopes'],
    queryFn: () => client.adminScopes(),
    staleTime: 60_000,
  });
  const data = (scopes.data ?? [])
    .filter((s) => !props.directoryOnly || s.plane === 'directory')
    .map((s) => ({ value: s.id, label: s.displayName }));
  if (props.value && !data.some((d) => d.value === props.value))
    data.push({ value: props.value, label: props.value });
  return (
    <Select
      label={props.label ?? 'Scope'}
      placeholder={scopes.isPending ? 'Loading scopes…' : 'Any scope'}
      searchable
      clearable={props.clearable}
      w={props.w ?? 240}
      data={data}
      value={props.value ?? null}
      onChange={(s) => props.onChange(s ?? undefined)}
      nothingFoundMessage="No scope has that name"
      error={scopes.isError ? 'The scopes could not be loaded.' : undefined}
    />
  );
}

/** A user, group or service principal found by the start of its name or UPN (asked of the server as you type). */
export function PrincipalSelect(props: {
  label: string;
  value: PrincipalRef | undefined;
  onChange(principal: PrincipalRef | undefined): void;
  type?: PrincipalRef['type'];
  placeholder?: string;
  clearable?: boolean;
  required?: boolean;
  w?: number | string;
}) {
  const { client } = useSession();
  const [search, setSearch] = useState('');
  const [text] = useDebouncedValue(search.trim(), 250);
  const found = useQuery({
    queryKey: ['admin-principals', props.type ?? 'any', text],
    queryFn: () =>
      client.findPrincipals({ search: text, top: 20, ...(props.type ? { type: props.type } : {}) }),
    enabled: text.length > 0,
    staleTime: 30_000,
  });
  const options = new Map<string, PrincipalRef>();
  if (props.value) options.set(props.value.id, props.value);
  for (const p of found.data ?? []) options.set(p.id, p);
  return (
    <Select
      label={props.label}
      placeholder={props.placeholder ?? 'Type the start of a name'}
      searchable
      clearable={props.clearable}
      required={props.required}
      w={props.w ?? 280}
      data={[...options.values()].map((p) => ({ value: p.id, label: principalLabel(p) }))}
      value={props.value?.id ?? null}
      onChange={(id) => props.onChange(id ? options.get(id) : undefined)}
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: all }) => all}
      nothingFoundMessage={
        text.length === 0 ? 'Type to search' : found.isPending ? 'Searching…' : 'Nobody has that name'
      }
    />
  );
}
