import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type AccessRow, rowPhrase, targetScopeLabel } from '../lib/my-access';
import { sendSelfRequest } from '../lib/targets';
import { useSession } from '../session';
import { errorMessage } from './error-alert';

interface DeactivateDialogProps {
  /** The active (activated) role or group access to end; the dialog is open while it is set. */
  readonly row: AccessRow | null;
  readonly opened: boolean;
  onClose(): void;
  onDeactivated(message: string): void;
}

/** Ends one of my activations early (selfDeactivate), after a confirmation. */
export function DeactivateDialog(props: DeactivateDialogProps) {
  const { row } = props;
  return (
    <Modal
      opened={props.opened}
      onClose={props.onClose}
      title={row ? `Deactivate ${rowPhrase(row)}` : 'Deactivate'}
    >
      {row && (
        <DeactivateConfirm
          key={row.id}
          row={row}
          onClose={props.onClose}
          onDeactivated={props.onDeactivated}
        />
      )}
    </Modal>
  );
}

function DeactivateConfirm(props: { row: AccessRow; onClose(): void; onDeactivated(message: string): void }) {
  const { row } = props;
  const { client, user } = useSession();
  const queryClient = useQueryClient();
  const what = rowPhrase(row);
  const deactivate = useMutation({
    mutationFn: () =>
      sendSelfRequest(client, { principalId: user.id, target: row.target, action: 'selfDeactivate' }),
    onSuccess: async (request) => {
      await queryClient.invalidateQueries({ queryKey: ['my-access'] });
      props.onDeactivated(
        request.status === 'Revoked'
          ? `${what} is no longer active.`
          : `Your request to deactivate ${what} is ${request.status}.`,
      );
      props.onClose();
    },
  });

  return (
    <Stack gap="md">
      <Text size="sm">
        {row.target.kind === 'group'
          ? `You leave ${row.name} now${row.grants.length > 0 ? ` and lose what it grants (${row.grants.join(', ')})` : ''}.`
          : `You lose the permissions of ${row.name} at ${targetScopeLabel(row.target)} now.`}{' '}
        You can activate it again while you are eligible.
      </Text>
      {deactivate.isError && (
        <Alert color="red" role="alert" title="Deactivation refused">
          {errorMessage(deactivate.error)}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={props.onClose}>
          Cancel
        </Button>
        <Button color="red" loading={deactivate.isPending} onClick={() => deactivate.mutate()}>
          Deactivate
        </Button>
      </Group>
    </Stack>
  );
}
