import { Alert, Button, Group, Modal, Skeleton, Stack } from '@mantine/core';
import { useQueries, useQuery } from '@tanstack/react-query';
import type { AccessRow } from '../lib/my-access';
import { rowPhrase } from '../lib/my-access';
import { settingsQuery } from '../lib/targets';
import { useSession } from '../session';
import { ActivationForm } from './activation-form';
import { errorMessage } from './error-alert';

interface ActivateDialogProps {
  /** The eligible rows to activate: one, or several at once. */
  readonly rows: readonly AccessRow[];
  readonly opened: boolean;
  onClose(): void;
  /** Called with sentences describing what the server accepted, when the dialog is done. */
  onActivated(message: string): void;
}

/** The dialog's title: "Activate Helpdesk Administrator", or "Activate 3 roles and groups" for several. */
export const activateTitle = (rows: readonly AccessRow[]): string =>
  rows.length === 1 && rows[0]
    ? `Activate ${rowPhrase(rows[0])}`
    : `Activate ${rows.length} roles and groups`;

/** Activate one or several eligible roles and group accesses with one form. */
export function ActivateDialog(props: ActivateDialogProps) {
  const { rows } = props;
  return (
    <Modal
      opened={props.opened}
      onClose={props.onClose}
      title={rows.length > 0 ? activateTitle(rows) : 'Activate'}
      size={rows.length > 1 ? 'xl' : 'lg'}
    >
      {rows.length > 0 && (
        <ActivateContent
          key={rows.map((r) => r.id).join(' ')}
          rows={rows}
          onClose={props.onClose}
          onActivated={props.onActivated}
        />
      )}
    </Modal>
  );
}

/** Reads every target's settings (and, when one asks for MFA, whether I have an authenticator) first. */
function ActivateContent(props: {
  rows: readonly AccessRow[];
  onClose(): void;
  onActivated(m: string): void;
}) {
  const { client } = useSession();
  const settings = useQueries({ queries: props.rows.map((r) => settingsQuery(client, r.target)) });
  // Read even when no target asks for MFA yet: settings may change under an open form, which must then stay.
  const mfa = useQuery({ queryKey: ['mfa-status'], queryFn: () => client.mfaStatus(), staleTime: 10_000 });

  const failed = settings.flatMap((s, i) => (s.isError ? [{ row: props.rows[i], error: s.error }] : []));
  if (failed.length > 0) {
    return (
      <Stack gap="md">
        <Alert color="red" role="alert" title="The settings could not be read">
          {failed.map((f) => `${f.row ? rowPhrase(f.row) : ''}: ${errorMessage(f.error)}`).join(' ')}
        </Alert>
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            Close
          </Button>
          <Button
            onClick={() => {
              for (const s of settings) if (s.isError) void s.refetch();
            }}
          >
            Try again
          </Button>
        </Group>
      </Stack>
    );
  }
  const loaded = settings.every((s) => s.data) && !mfa.isPending;
  if (!loaded) return <FormSkeleton />;
  const items = props.rows.map((row, i) => ({ row, settings: settings[i]!.data! }));
  // When the status cannot be read, assume an authenticator: the server's answer then says what is missing.
  const factors = mfa.data
    ? { totp: mfa.data.totp === 'confirmed', passkey: mfa.data.passkeys > 0 }
    : { totp: true, passkey: false };
  const enrolled = factors.totp || factors.passkey;
  return (
    <ActivationForm
      items={items}
      enrolled={enrolled}
      factors={factors}
      onClose={props.onClose}
      onActivated={props.onActivated}
    />
  );
}

function FormSkeleton() {
  return (
    <Stack gap="md" aria-hidden>
      <Skeleton h={22} w="60%" />
      <Skeleton h={58} />
      <Skeleton h={84} />
      <Skeleton h={58} />
      <Skeleton h={36} w={200} ml="auto" />
    </Stack>
  );
}
