import { Group, NumberInput, SegmentedControl, Stack, Text, Textarea, TextInput } from '@mantine/core';
import type { AssignmentDetails, AssignmentTarget, WindowChoice } from '../lib/admin-requests';
import type { PrincipalRef } from '../lib/admin-types';
import { PrincipalSelect, RoleSelect, ScopeSelect } from './assignment-pickers';

/** A target being chosen: what is picked so far. */
export interface TargetDraft {
  readonly targetKind: 'directoryRole' | 'group';
  readonly roleDefinitionId?: string;
  readonly scope: string;
  readonly group?: PrincipalRef;
  readonly accessId: 'member' | 'owner';
}

export const emptyTarget: TargetDraft = { targetKind: 'directoryRole', scope: '/', accessId: 'member' };

/** The chosen target, or why it cannot be sent yet. */
export function targetFrom(d: TargetDraft): AssignmentTarget | string {
  if (d.targetKind === 'group') {
    return d.group ? { targetKind: 'group', groupId: d.group.id, accessId: d.accessId } : 'Choose a group.';
  }
  return d.roleDefinitionId
    ? { targetKind: 'directoryRole', roleDefinitionId: d.roleDefinitionId, scope: d.scope }
    : 'Choose a role.';
}

/** What is assigned: a directory role at a scope, or a group's membership or ownership. */
export function TargetFields(props: { value: TargetDraft; onChange(value: TargetDraft): void }) {
  const { value, onChange } = props;
  return (
    <Stack gap="xs">
      <SegmentedControl
        aria-label="What to assign"
        value={value.targetKind}
        onChange={(v) => onChange({ ...value, targetKind: v === 'group' ? 'group' : 'directoryRole' })}
        data={[
          { value: 'directoryRole', label: 'Directory role' },
          { value: 'group', label: 'Group' },
        ]}
      />
      {value.targetKind === 'directoryRole' ? (
        <Group gap="sm" align="flex-start" wrap="wrap">
          <RoleSelect
            value={value.roleDefinitionId}
            onChange={(roleDefinitionId) => onChange({ ...value, roleDefinitionId })}
            required
          />
          <ScopeSelect
            value={value.scope}
            onChange={(scope) => onChange({ ...value, scope: scope ?? '/' })}
            directoryOnly
          />
        </Group>
      ) : (
        <Group gap="sm" align="flex-end" wrap="wrap">
          <PrincipalSelect
            label="Group"
            type="group"
            value={value.group}
            onChange={(group) => onChange({ ...value, ...(group ? { group } : { group: undefined }) })}
            required
          />
          <SegmentedControl
            aria-label="Group access"
            value={value.accessId}
            onChange={(v) => onChange({ ...value, accessId: v === 'owner' ? 'owner' : 'member' })}
            data={[
              { value: 'member', label: 'Membership' },
              { value: 'owner', label: 'Ownership' },
            ]}
          />
        </Group>
      )}
    </Stack>
  );
}

/** Eligible or active; for good, until a date, or for some days; from now or later; why. */
export function DetailsFields(props: {
  value: AssignmentDetails;
  onChange(value: AssignmentDetails): void;
  windowError: string | null;
  /** Updating keeps the kind. */
  fixedKind?: boolean;
}) {
  const { value, onChange } = props;
  const w = value.window;
  const setWindow = (window: WindowChoice) => onChange({ ...value, window });
  return (
    <Stack gap="sm">
      {!props.fixedKind && (
        <div>
          <Text size="sm" fw={500} mb={4} id="assignment-type-label">
            Assignment type
          </Text>
          <SegmentedControl
            aria-labelledby="assignment-type-label"
            value={value.kind}
            onChange={(v) => onChange({ ...value, kind: v === 'assignment' ? 'assignment' : 'eligibility' })}
            data={[
              { value: 'eligibility', label: 'Eligible' },
              { value: 'assignment', label: 'Active' },
            ]}
          />
        </div>
      )}
      <div>
        <Text size="sm" fw={500} mb={4} id="assignment-duration-label">
          Duration
        </Text>
        <SegmentedControl
          aria-labelledby="assignment-duration-label"
          value={w.kind}
          onChange={(v) =>
            setWindow(
              v === 'until'
                ? { kind: 'until', end: w.kind === 'until' ? w.end : '' }
                : v === 'days'
                  ? { kind: 'days', days: w.kind === 'days' ? w.days : 30 }
                  : { kind: 'permanent' },
            )
          }
          data={[
            { value: 'permanent', label: 'Permanent' },
            { value: 'days', label: 'For some days' },
            { value: 'until', label: 'Until a date' },
          ]}
        />
      </div>
      <Group gap="sm" align="flex-start" wrap="wrap">
        <TextInput
          type="datetime-local"
          label="Start"
          description="Your local time; now when empty"
          w={230}
          value={value.start}
          onChange={(e) => onChange({ ...value, start: e.currentTarget.value })}
        />
        {w.kind === 'days' && (
          <NumberInput
            label="Days"
            w={140}
            min={1}
            max={3650}
            value={w.days}
            onChange={(v) => setWindow({ kind: 'days', days: Number(v) })}
            error={props.windowError}
          />
        )}
        {w.kind === 'until' && (
          <TextInput
            type="datetime-local"
            label="End"
            description="Your local time"
            w={230}
            value={w.end}
            onChange={(e) => setWindow({ kind: 'until', end: e.currentTarget.value })}
            error={props.windowError}
            required
          />
        )}
      </Group>
      {w.kind === 'permanent' && props.windowError && (
        <Text size="sm" c="red">
          {props.windowError}
        </Text>
      )}
      <Textarea
        label="Justification"
        description="Recorded in the audit log; the role's settings may require it"
        autosize
        minRows={2}
        maxLength={500}
        value={value.justification}
        onChange={(e) => onChange({ ...value, justification: e.currentTarget.value })}
      />
    </Stack>
  );
}

export const emptyDetails: AssignmentDetails = {
  kind: 'eligibility',
  window: { kind: 'permanent' },
  start: '',
  justification: '',
};
