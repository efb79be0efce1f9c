import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import {
  type AssignmentDetails,
  removeAssignment,
  toLocalInput,
  updateAssignment,
  windowError,
} from '../lib/admin-requests';
import type { AdminAssignment } from '../lib/admin-types';
import { useSession } from '../session';
import { DetailsFields } from './assignment-form-fields';
import { errorMessage } from './error-alert';

/** "Adam's eligible Helpdesk Administrator assignment (Directory)". */
const assignmentPhrase = (a: AdminAssignment): string =>
  `${a.principal.displayName}'s ${a.kind === 'eligibility' ? 'eligible' : 'active'} ${a.roleDisplayName} ${
    a.targetKind === 'group' ? `of ${a.scopeDisplayName}` : `assignment (${a.scopeDisplayName})`
  }`;

/** What is being changed: nothing, an update of one assignment's window, or its removal. */
export type AssignmentChange = { kind: 'update' | 'remove'; assignment: AdminAssignment } | null;

export function AssignmentChangeDialog(props: {
  change: AssignmentChange;
  onClose(): void;
  onDone(message: string): void;
}) {
  const c = props.change;
  return (
    <Modal
      opened={c !== null}
      onClose={props.onClose}
      title={c?.kind === 'remove' ? 'Remove assignment' : 'Change assignment'}
      size="lg"
    >
      {c?.kind === 'update' && <UpdateForm key={c.assignment.id} a={c.assignment} {...props} />}
      {c?.kind === 'remove' && <RemoveForm key={c.assignment.id} a={c.assignment} {...props} />}
    </Modal>
  );
}

function useDone(props: { onClose(): void; onDone(message: string): void }) {
  const queryClient = useQueryClient();
  return async (message: string) => {
    await queryClient.invalidateQueries({ queryKey: ['admin'] });
    props.onDone(message);
    props.onClose();
  };
}

function UpdateForm(props: { a: AdminAssignment; onClose(): void; onDone(message: string): void }) {
  const { a } = props;
  const { client } = useSession();
  const done = useDone(props);
  const [details, setDetails] = useState<AssignmentDetails>({
    kind: a.kind,
    window: a.endDateTime ? { kind: 'until', end: toLocalInput(a.endDateTime) } : { kind: 'permanent' },
    start: toLocalInput(a.startDateTime),
    justification: '',
  });
  const [tried, setTried] = useState(false);
  const badWindow = windowError(details.start, details.window);
  const update = useMutation({
    mutationFn: () => updateAssignment(client, a, details),
    onSuccess: () => done(`${assignmentPhrase(a)} is changed.`),
  });
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setTried(true);
    if (!badWindow) update.mutate();
  }
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <Text size="sm">Change the window of {assignmentPhrase(a)}.</Text>
        <DetailsFields
          value={details}
          onChange={setDetails}
          windowError={tried ? badWindow : null}
          fixedKind
        />
        {update.isError && (
          <Alert color="red" role="alert" title="Not changed">
            {errorMessage(update.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={update.isPending}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function RemoveForm(props: { a: AdminAssignment; onClose(): void; onDone(message: string): void }) {
  const { a } = props;
  const { client } = useSession();
  const done = useDone(props);
  const [justification, setJustification] = useState('');
  const remove = useMutation({
    mutationFn: () => removeAssignment(client, a, justification),
    onSuccess: () => done(`${assignmentPhrase(a)} is removed.`),
  });
  return (
    <Stack gap="md">
      <Text size="sm">
        Remove {assignmentPhrase(a)}?
        {a.kind === 'eligibility' ? ' Activations made from it end too.' : ' The access ends now.'}
      </Text>
      <Textarea
        label="Justification"
        description="Recorded in the audit log"
        autosize
        minRows={2}
        maxLength={500}
        value={justification}
        onChange={(e) => setJustification(e.currentTarget.value)}
      />
      {remove.isError && (
        <Alert color="red" role="alert" title="Not removed">
          {errorMessage(remove.error)}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={props.onClose}>
          Keep it
        </Button>
        <Button color="red" loading={remove.isPending} onClick={() => remove.mutate()}>
          Remove
        </Button>
      </Group>
    </Stack>
  );
}
