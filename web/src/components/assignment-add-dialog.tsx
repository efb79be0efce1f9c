import { Alert, Button, Group, Modal, Stack } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { type AssignmentDetails, addAssignment, windowError } from '../lib/admin-requests';
import type { PrincipalRef } from '../lib/admin-types';
import { useSession } from '../session';
import {
  DetailsFields,
  emptyDetails,
  emptyTarget,
  type TargetDraft,
  TargetFields,
  targetFrom,
} from './assignment-form-fields';
import { PrincipalSelect } from './assignment-pickers';
import { errorMessage } from './error-alert';

/** Add one eligible or active assignment: a role or group access, a principal, a window, a justification. */
export function AssignmentAddDialog(props: {
  opened: boolean;
  onClose(): void;
  onAdded(message: string): void;
  initialTarget?: TargetDraft;
}) {
  return (
    <Modal opened={props.opened} onClose={props.onClose} title="Add assignment" size="lg">
      {props.opened && <AddForm {...props} />}
    </Modal>
  );
}

function AddForm(props: { onClose(): void; onAdded(message: string): void; initialTarget?: TargetDraft }) {
  const { client } = useSession();
  const queryClient = useQueryClient();
  const [target, setTarget] = useState<TargetDraft>(props.initialTarget ?? emptyTarget);
  const [principal, setPrincipal] = useState<PrincipalRef | undefined>();
  const [details, setDetails] = useState<AssignmentDetails>(emptyDetails);
  const [tried, setTried] = useState(false);
  const chosen = targetFrom(target);
  const badWindow = windowError(details.start, details.window);
  const problem = typeof chosen === 'string' ? chosen : !principal ? 'Choose who gets it.' : badWindow;

  const add = useMutation({
    mutationFn: () => {
      if (typeof chosen === 'string' || !principal) throw new Error(problem ?? 'Incomplete.');
      return addAssignment(client, chosen, principal.id, details);
    },
    onSuccess: async (request) => {
      await queryClient.invalidateQueries({ queryKey: ['admin'] });
      const what = details.kind === 'eligibility' ? 'eligible' : 'active';
      props.onAdded(
        request.status === 'PendingApproval'
          ? `The assignment for ${principal?.displayName} waits for approval.`
          : `${principal?.displayName} is now ${what}.`,
      );
      props.onClose();
    },
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setTried(true);
    if (!problem) add.mutate();
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <TargetFields value={target} onChange={setTarget} />
        <PrincipalSelect label="Assign to" value={principal} onChange={setPrincipal} required w="100%" />
        <DetailsFields value={details} onChange={setDetails} windowError={tried ? badWindow : null} />
        {tried && problem && problem !== badWindow && (
          <Alert color="yellow" role="alert">
            {problem}
          </Alert>
        )}
        {add.isError && (
          <Alert color="red" role="alert" title="Not assigned">
            {errorMessage(add.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={add.isPending}>
            Assign
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
