import { Alert, Button, Group, Modal, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useEffect, useMemo, useState } from 'react';
import { ErrorAlert } from '../components/error-alert';
import { SettingsDiffDialog } from '../components/settings-diff-dialog';
import { SettingsEditor } from '../components/settings-editor';
import { SettingsTargetPicker } from '../components/settings-target-picker';
import { roleNamesQuery } from '../lib/my-access';
import { diffSettings } from '../lib/settings-diff';
import {
  changedRules,
  formFromRules,
  type GraphRule,
  rulesFromForm,
  type SettingsForm,
  validateForm,
} from '../lib/settings-form';
import {
  choiceFromSearch,
  loadTargetPolicy,
  type SettingsTarget,
  type SettingsTargetChoice,
  saveTargetPolicy,
  searchFromChoice,
  type TargetPolicy,
  targetKey,
  targetOf,
} from '../lib/settings-target';
import { formatInstant } from '../lib/time';
import { useSession } from '../session';

/**
 * Role settings: pick a directory role, a group's membership or ownership, or an Azure role at a scope, edit every rule of its settings
 * (activation, assignment, notification), review the difference, save it in one change.
 */
export function RoleSettingsPage() {
  const { client } = useSession();
  const search = useSearch({ from: '/signed-in/role-settings' });
  const navigate = useNavigate();
  const choice = choiceFromSearch(search);
  const target = targetOf(choice);
  const [saved, setSaved] = useState<string | null>(null);
  // Unsaved edits of the open settings: choosing another target first asks whether to drop them.
  const [unsaved, setUnsaved] = useState(0);
  const [leaving, setLeaving] = useState<SettingsTargetChoice | null>(null);
  const go = (c: SettingsTargetChoice) => {
    setSaved(null);
    setLeaving(null);
    setUnsaved(0);
    void navigate({ to: '/role-settings', search: searchFromChoice(c) });
  };
  const policy = useQuery({
    queryKey: ['role-settings', target && targetKey(target)],
    queryFn: () => loadTargetPolicy(client, target as SettingsTarget),
    enabled: target !== null,
  });
  const name = useTargetName(target);

  return (
    <Stack gap="lg" maw={1180}>
      <div>
        <Title order={1} size="h2">
          Role settings
        </Title>
        <Text c="dimmed" size="sm">
          What activating a role or group asks for, how long assignments may last, and who is told. Changes
          apply to requests made after saving.
        </Text>
        <div role="status" aria-live="polite">
          {saved && (
            <Alert
              mt="md"
              color="green"
              withCloseButton
              closeButtonLabel="Dismiss"
              onClose={() => setSaved(null)}
            >
              {saved}
            </Alert>
          )}
        </div>
      </div>

      <SettingsTargetPicker value={choice} onChange={(c) => (unsaved > 0 ? setLeaving(c) : go(c))} />
      <Modal opened={leaving !== null} onClose={() => setLeaving(null)} title="Discard unsaved changes?">
        <Stack gap="md">
          <Text size="sm">
            {unsaved === 1 ? 'One setting' : `${unsaved} settings`} of {name} changed and not saved. Choosing
            another target drops {unsaved === 1 ? 'it' : 'them'}.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setLeaving(null)}>
              Keep editing
            </Button>
            <Button color="red" onClick={() => leaving && go(leaving)}>
              Discard changes
            </Button>
          </Group>
        </Stack>
      </Modal>

      {target === null ? (
        <Paper withBorder p="lg">
          <Text size="sm" c="dimmed">
            Choose a directory role, or a group and whether its membership or ownership, to see and change its
            settings.
          </Text>
        </Paper>
      ) : policy.isError ? (
        <ErrorAlert
          title="The settings could not be loaded"
          error={policy.error}
          onRetry={() => void policy.refetch()}
        />
      ) : policy.data === null ? (
        <Alert color="yellow" title="No settings">
          {name} has no role settings: it is not a role or group Elevate manages.
        </Alert>
      ) : policy.data === undefined ? (
        <Stack gap="lg" aria-busy>
          {/* The same bar and rows as the loaded editor, so nothing moves when the settings arrive. */}
          <Paper withBorder p="sm">
            <Group justify="space-between" wrap="wrap">
              <Skeleton h={20} w={280} />
              <Group gap="xs">
                <Button variant="default" disabled>
                  Discard changes
                </Button>
                <Button disabled>Review changes</Button>
              </Group>
            </Group>
          </Paper>
          <SettingsEditor form={undefined} onChange={() => {}} errors={{}} changed={new Set()} />
        </Stack>
      ) : (
        <SettingsPanel
          key={`${policy.data.id}:${policy.data.lastModifiedDateTime ?? ''}`}
          policy={policy.data}
          target={target}
          targetName={name}
          onSaved={setSaved}
          onUnsaved={setUnsaved}
        />
      )}
    </Stack>
  );
}

/** "Helpdesk Administrator", "PAG-SERVICE-DESK membership". */
function useTargetName(target: SettingsTarget | null): string {
  const { client } = useSession();
  const roles = useQuery({ ...roleNamesQuery(client), enabled: target?.kind === 'directoryRole' });
  const groupId = target?.kind === 'group' ? target.groupId : undefined;
  const scope = target?.kind === 'resourceRole' ? target.scope : undefined;
  const azureRoles = useQuery({
    queryKey: ['azure-roles', scope],
    queryFn: () => client.listAzureRoles(scope ?? '/'),
    enabled: scope !== undefined,
    staleTime: 5 * 60_000,
  });
  const group = useQuery({
    queryKey: ['group', groupId],
    queryFn: () => client.getGroup(groupId ?? ''),
    enabled: groupId !== undefined,
    staleTime: 5 * 60_000,
  });
  if (target === null) return '';
  if (target.kind === 'resourceRole') {
    const role = azureRoles.data?.find((r) => r.id.toLowerCase() === target.roleDefinitionId.toLowerCase());
    return `${role?.roleName ?? 'The Azure role'} at ${target.scope}`;
  }
  if (target.kind === 'group') {
    return `${group.data?.displayName ?? 'The group'} ${target.accessId === 'owner' ? 'ownership' : 'membership'}`;
  }
  return roles.data?.get(target.roleDefinitionId.toLowerCase()) ?? 'The role';
}

/** The editor over one policy: a draft of its settings, what differs from the saved ones, and the save. */
function SettingsPanel(props: {
  policy: TargetPolicy;
  target: SettingsTarget;
  targetName: string;
  onSaved(message: string): void;
  /** How many settings differ from the saved ones, each time that changes. */
  onUnsaved(count: number): void;
}) {
  const { policy } = props;
  const { client } = useSession();
  const queryClient = useQueryClient();
  const rules = policy.rules as readonly GraphRule[];
  const savedForm = useMemo(() => formFromRules(rules), [rules]);
  const [draft, setDraft] = useState<SettingsForm>(savedForm);
  const [reviewing, setReviewing] = useState(false);
  const changes = useMemo(() => diffSettings(savedForm, draft), [savedForm, draft]);
  const errors = useMemo(() => validateForm(draft), [draft]);
  const invalid = Object.keys(errors).length > 0;
  const { onUnsaved } = props;
  useEffect(() => onUnsaved(changes.length), [changes.length, onUnsaved]);
  const save = useMutation({
    mutationFn: () =>
      saveTargetPolicy(client, props.target, policy.id, changedRules(rules, rulesFromForm(rules, draft))),
    onSuccess: async () => {
      setReviewing(false);
      props.onSaved(
        `Saved: ${changes.length === 1 ? 'one setting' : `${changes.length} settings`} of ${props.targetName} changed.`,
      );
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['role-settings'] }),
        queryClient.invalidateQueries({ queryKey: ['activation-settings'] }),
      ]);
    },
  });

  return (
    <Stack gap="lg">
      <Paper withBorder p="sm" pos="sticky" top={64} style={{ zIndex: 2 }}>
        <Group justify="space-between" wrap="wrap">
          <Text size="sm" c="dimmed">
            {policy.lastModifiedDateTime
              ? `Last changed ${formatInstant(policy.lastModifiedDateTime)}${policy.lastModifiedBy?.displayName ? ` by ${policy.lastModifiedBy.displayName}` : ''}.`
              : 'Never changed: the defaults apply.'}{' '}
            {invalid
              ? 'Fix the settings marked in red to save.'
              : changes.length > 0
                ? `${changes.length} unsaved change${changes.length === 1 ? '' : 's'}.`
                : ''}
          </Text>
          <Group gap="xs">
            <Button variant="default" disabled={changes.length === 0} onClick={() => setDraft(savedForm)}>
              Discard changes
            </Button>
            <Button
              disabled={changes.length === 0 || invalid}
              onClick={() => {
                save.reset();
                setReviewing(true);
              }}
            >
              {changes.length === 0 ? 'Review changes' : `Review changes (${changes.length})`}
            </Button>
          </Group>
        </Group>
      </Paper>
      <SettingsEditor
        form={draft}
        onChange={(change) => setDraft((d) => ({ ...d, ...change }))}
        errors={errors}
        changed={new Set(changes.map((c) => c.key))}
      />
      <SettingsDiffDialog
        opened={reviewing}
        targetName={props.targetName}
        changes={changes}
        saving={save.isPending}
        error={save.isError ? save.error : null}
        onClose={() => setReviewing(false)}
        onSave={() => save.mutate()}
      />
    </Stack>
  );
}
