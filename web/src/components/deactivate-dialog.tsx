import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type RoleRow, scopeLabel } from '../lib/my-roles';
import { useSession } from '../session';
import { errorMessage } from './error-alert';

interface DeactivateDialogProps {
  /** The active (activated) role to end; the dialog is open while it is set. */
  readonly row: RoleRow | null;
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
      title={row ? `Deactivate ${row.roleName}` : 'Deactivate'}
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

function DeactivateConfirm(props: { row: RoleRow; onClose(): void; onDeactivated(message: string): void }) {
  const { row } = props;
  const { client, user } = useSession();
  const queryClient = useQueryClient();
  const deactivate = useMutation({
    mutationFn: () =>
      client.createScheduleRequest('assignment', {
        action: 'selfDeactivate',
        principalId: user.id,
        roleDefinitionId: row.roleDefinitionId,
        directoryScopeId: row.directoryScopeId,
      }),
    onSuccess: async (request) => {
      await queryClient.invalidateQueries({ queryKey: ['my-roles'] });
      props.onDeactivated(
        request.status === 'Revoked'
          ? `${row.roleName} is no longer active.`
          : `Your request to deactivate ${row.roleName} is ${request.status}.`,
      );
      props.onClose();
    },
  });

  return (
    <Stack gap="md">
      <Text size="sm">
        You lose the permissions of {row.roleName} at {scopeLabel(row.directoryScopeId)} now. You can activate
        it again while you are eligible.
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
