import { Button, Group, Select, TextInput } from '@mantine/core';
import { useState } from 'react';
import {
  type AuditCriteria,
  type AuditPeriod,
  auditPeriods,
  criteriaErrors,
  emptyCriteria,
} from '../lib/audit-search';

const categories = [
  'RoleManagement',
  'GroupManagement',
  'ResourceManagement',
  'UserManagement',
  'ApplicationManagement',
  'DirectoryManagement',
  'Authentication',
];

/** The audit search form: time range, who, what, on what; "Search" applies it, "Clear" shows everything. */
export function AuditFilters(props: { value: AuditCriteria; onSearch(criteria: AuditCriteria): void }) {
  const [draft, setDraft] = useState<AuditCriteria>(props.value);
  const errors = criteriaErrors(draft);
  const set = (change: Partial<AuditCriteria>) => setDraft((d) => ({ ...d, ...change }));

  return (
    <form
      aria-label="Search the audit log"
      onSubmit={(e) => {
        e.preventDefault();
        if (Object.keys(errors).length === 0) props.onSearch(draft);
      }}
    >
      <Group align="flex-end" gap="sm" wrap="wrap">
        <Select
          label="Time"
          w={140}
          data={auditPeriods.map((p) => ({ value: p.value, label: p.label }))}
          value={draft.period}
          allowDeselect={false}
          onChange={(v) => v && set({ period: v as AuditPeriod })}
        />
        {draft.period === 'custom' && (
          <>
            <TextInput
              label="From"
              type="datetime-local"
              w={200}
              value={draft.from}
              onChange={(e) => set({ from: e.currentTarget.value })}
              error={errors.from}
            />
            <TextInput
              label="To"
              type="datetime-local"
              w={200}
              value={draft.to}
              onChange={(e) => set({ to: e.currentTarget.value })}
              error={errors.to}
            />
          </>
        )}
        <TextInput
          label="Initiated by"
          description="Name starts with"
          placeholder="Ada"
          w={150}
          value={draft.actor}
          onChange={(e) => set({ actor: e.currentTarget.value })}
        />
        <TextInput
          label="Activity"
          description="Starts with"
          placeholder="Update role setting"
          w={190}
          value={draft.activity}
          onChange={(e) => set({ activity: e.currentTarget.value })}
        />
        <TextInput
          label="Target"
          description="Name starts with"
          placeholder="Helpdesk"
          w={150}
          value={draft.target}
          onChange={(e) => set({ target: e.currentTarget.value })}
        />
        <Select
          label="Category"
          description="Any when empty"
          w={170}
          clearable
          placeholder="Any"
          data={categories}
          value={draft.category || null}
          onChange={(v) => set({ category: v ?? '' })}
        />
        <Select
          label="Result"
          description="Any when empty"
          w={110}
          clearable
          placeholder="Any"
          data={[
            { value: 'success', label: 'Success' },
            { value: 'failure', label: 'Failure' },
          ]}
          value={draft.result || null}
          onChange={(v) => set({ result: v === 'success' || v === 'failure' ? v : '' })}
        />
      </Group>
      <Group gap="xs" mt="sm">
        <Button type="submit">Search</Button>
        <Button
          variant="default"
          onClick={() => {
            setDraft(emptyCriteria);
            props.onSearch(emptyCriteria);
          }}
        >
          Clear
        </Button>
      </Group>
    </form>
  );
}
