import { Alert, Badge, Button, Group, Modal, Stack, Table, Text, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { type AssignmentDetails, bulkBody, principalLines, windowError } from '../lib/admin-requests';
import type { BulkAssignResult } from '../lib/admin-types';
import { useSession } from '../session';
import {
  DetailsFields,
  emptyDetails,
  emptyTarget,
  type TargetDraft,
  TargetFields,
  targetFrom,
} from './assignment-form-fields';
import { principalLabel } from './assignment-pickers';
import { errorMessage } from './error-alert';

/** The server's limit on one bulk add. */
const maxLines = 200;

const outcomes: Record<BulkAssignResult['outcome'], { label: string; color: string }> = {
  assigned: { label: 'Assigned', color: 'green' },
  pendingApproval: { label: 'Waits for approval', color: 'yellow' },
  failed: { label: 'Failed', color: 'red' },
};

/** Bulk add: one role (or group access) for many pasted principals, each line answered on its own. */
export function AssignmentBulkDialog(props: {
  opened: boolean;
  onClose(): void;
  onDone(message: string): void;
}) {
  return (
    <Modal opened={props.opened} onClose={props.onClose} title="Bulk add assignments" size="xl">
      {props.opened && <BulkForm {...props} />}
    </Modal>
  );
}

function BulkForm(props: { onClose(): void; onDone(message: string): void }) {
  const { client } = useSession();
  const queryClient = useQueryClient();
  const [target, setTarget] = useState<TargetDraft>(emptyTarget);
  const [details, setDetails] = useState<AssignmentDetails>(emptyDetails);
  const [text, setText] = useState('');
  const [tried, setTried] = useState(false);
  const lines = principalLines(text);
  const chosen = targetFrom(target);
  const badWindow = windowError(details.start, details.window);
  const linesError =
    lines.length === 0
      ? 'Paste at least one user principal name or object id.'
      : lines.length > maxLines
        ? `At most ${maxLines} principals at once; this list has ${lines.length}.`
        : null;
  const problem = typeof chosen === 'string' ? chosen : (linesError ?? badWindow);

  const run = useMutation({
    mutationFn: () => {
      if (typeof chosen === 'string') throw new Error(chosen);
      return client.bulkAssign(bulkBody(chosen, details, lines));
    },
    onSuccess: async (result) => {
      await queryClient.invalidateQueries({ queryKey: ['admin'] });
      props.onDone(
        `Bulk add: ${result.assigned} of ${result.results.length} assigned${result.failed ? `, ${result.failed} failed` : ''}.`,
      );
    },
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setTried(true);
    if (!problem) run.mutate();
  }

  if (run.data) {
    return (
      <Stack gap="md">
        <Text size="sm" role="status">
          {run.data.assigned} of {run.data.results.length} assigned
          {run.data.failed > 0 ? `; ${run.data.failed} failed — the reason is on each line.` : '.'}
        </Text>
        <Table.ScrollContainer minWidth={600}>
          <Table aria-label="Bulk add results" layout="fixed" verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col" w="30%">
                  Line
                </Table.Th>
                <Table.Th scope="col" w={150}>
                  Outcome
                </Table.Th>
                <Table.Th scope="col">Principal or reason</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {withKeys(run.data.results).map(({ r, key }) => (
                <Table.Tr key={key}>
                  <Table.Td>
                    <Text size="sm" truncate title={r.input}>
                      {r.input}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={outcomes[r.outcome].color}>
                      {outcomes[r.outcome].label}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {r.error ? r.error.message : r.principal ? principalLabel(r.principal) : ''}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <Group justify="flex-end">
          <Button variant="default" onClick={() => run.reset()}>
            Add more
          </Button>
          <Button onClick={props.onClose}>Done</Button>
        </Group>
      </Stack>
    );
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <TargetFields value={target} onChange={setTarget} />
        <Textarea
          label="Principals"
          description={`One per line: user principal names or object ids (users, groups, applications); up to ${maxLines}`}
          autosize
          minRows={4}
          maxRows={12}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          error={tried ? linesError : null}
          required
        />
        <DetailsFields value={details} onChange={setDetails} windowError={tried ? badWindow : null} />
        {tried && typeof chosen === 'string' && (
          <Alert color="yellow" role="alert">
            {chosen}
          </Alert>
        )}
        {run.isError && (
          <Alert color="red" role="alert" title="Nothing assigned">
            {errorMessage(run.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={run.isPending}>
            {lines.length > 1 ? `Assign ${lines.length} principals` : 'Assign'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Each result with a key: its line, and how many times the same line came before (a line may repeat). */
function withKeys(results: readonly BulkAssignResult[]) {
  const seen = new Map<string, number>();
  return results.map((r) => {
    const n = seen.get(r.input) ?? 0;
    seen.set(r.input, n + 1);
    return { r, key: `${r.input}#${n}` };
  });
}
