import { Group, Pill, Select, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Approver } from '../lib/settings-form';
import { useSession } from '../session';

/** The approvers of a role: each one removable, more found by the start of a user's or group's name. */
export function SettingsApprovers(props: {
  value: readonly Approver[];
  onChange(value: readonly Approver[]): void;
  error?: string | undefined;
  disabled?: boolean;
}) {
  const { client } = useSession();
  const [search, setSearch] = useState('');
  const [text] = useDebouncedValue(search.trim(), 250);
  const found = useQuery({
    queryKey: ['settings-approver-search', text],
    queryFn: () => client.searchPrincipals(text, { top: 10 }),
    enabled: text.length > 0,
    staleTime: 30_000,
  });
  const chosen = new Set(props.value.map((a) => `${a.kind}:${a.id.toLowerCase()}`));
  const candidates: Approver[] = [
    ...(found.data?.users ?? []).map((u): Approver => ({ kind: 'user', id: u.id, name: u.displayName })),
    ...(found.data?.groups ?? []).map((g): Approver => ({ kind: 'group', id: g.id, name: g.displayName })),
  ].filter((a) => !chosen.has(`${a.kind}:${a.id.toLowerCase()}`));
  const labelOf = (a: Approver) => `${a.name} (${a.kind === 'group' ? 'group' : 'user'})`;

  return (
    <Stack gap={6}>
      {props.value.length === 0 ? (
        <Text size="sm" c="dimmed" mih={24}>
          None named: Privileged Role Administrators and Global Administrators approve.
        </Text>
      ) : (
        <Group
          component="ul"
          gap={6}
          aria-label="Chosen approvers"
          mih={24}
          style={{ listStyle: 'none', margin: 0, padding: 0 }}
        >
          {props.value.map((a) => (
            <li key={`${a.kind}:${a.id}`}>
              <Pill
                withRemoveButton={!props.disabled}
                onRemove={() => props.onChange(props.value.filter((x) => x !== a))}
                removeButtonProps={{ 'aria-label': `Remove approver ${a.name}` }}
              >
                {labelOf(a)}
              </Pill>
            </li>
          ))}
        </Group>
      )}
      <Select
        label="Add an approver"
        placeholder="Type the start of a user's or group's name"
        w={340}
        searchable
        disabled={props.disabled}
        value={null}
        searchValue={search}
        onSearchChange={setSearch}
        data={candidates.map((a) => ({ value: `${a.kind}:${a.id}`, label: labelOf(a) }))}
        filter={({ options }) => options}
        nothingFoundMessage={
          text.length === 0 ? 'Type to search' : found.isPending ? 'Searching…' : 'Nobody found'
        }
        onChange={(key) => {
          const picked = candidates.find((a) => `${a.kind}:${a.id}` === key);
          if (picked) props.onChange([...props.value, picked]);
          setSearch('');
        }}
        error={props.error}
      />
    </Stack>
  );
}
