import { Alert, Button, Group, Modal, Stack, Table, Text } from '@mantine/core';
import type { SettingChange } from '../lib/settings-diff';
import { errorMessage } from './error-alert';

/** The changes about to be saved, each setting's current and new value side by side; save or go back. */
export function SettingsDiffDialog(props: {
  opened: boolean;
  targetName: string;
  changes: readonly SettingChange[];
  saving: boolean;
  error: unknown;
  onClose(): void;
  onSave(): void;
}) {
  const { changes } = props;
  return (
    <Modal opened={props.opened} onClose={props.onClose} title="Review changes" size="xl">
      <Stack gap="md">
        <Text size="sm">
          {changes.length === 1 ? 'One setting' : `${changes.length} settings`} of {props.targetName} change.
          They apply to requests made from now on.
        </Text>
        <Table layout="fixed" verticalSpacing="xs" aria-label="Changes to save" withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col" w="40%">
                Setting
              </Table.Th>
              <Table.Th scope="col">Now</Table.Th>
              <Table.Th scope="col">After saving</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {changes.map((c) => (
              <Table.Tr key={c.key}>
                <Table.Th scope="row" fw={500}>
                  <Text size="xs" c="dimmed">
                    {c.section}
                  </Text>
                  <Text size="sm">{c.label}</Text>
                </Table.Th>
                <Table.Td>
                  <Text size="sm" td="line-through" c="dimmed">
                    {c.before}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" fw={600}>
                    {c.after}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {props.error !== null && (
          <Alert color="red" role="alert" title="Not saved">
            {errorMessage(props.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            Back to editing
          </Button>
          <Button loading={props.saving} onClick={props.onSave}>
            Save changes
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
