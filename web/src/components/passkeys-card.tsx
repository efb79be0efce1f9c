import { Alert, Button, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { isApiError } from '../../../src/contracts/browser';
import { createPasskey, passkeyErrorMessage, passkeysSupported } from '../lib/passkeys';
import { formatInstant } from '../lib/time';
import { useSession } from '../session';
import { ErrorAlert } from './error-alert';

const message = (e: unknown) => (isApiError(e) ? e.message : passkeyErrorMessage(e));

/**
 * Passkeys: a security key, or the device's own (Windows Hello, Touch ID, Android), as a second factor at
 * sign-in and at each activation that requires MFA. Lists mine, registers one, removes one.
 */
export function PasskeysCard() {
  const { client } = useSession();
  const queryClient = useQueryClient();
  const list = useQuery({ queryKey: ['passkeys'], queryFn: () => client.listPasskeys() });
  const [name, setName] = useState('');
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ['passkeys'] }),
      queryClient.invalidateQueries({ queryKey: ['mfa-status'] }),
    ]);
  const register = useMutation({
    mutationFn: async (passkeyName: string) => {
      const options = await client.passkeyRegistrationOptions();
      return client.registerPasskey({ name: passkeyName, response: await createPasskey(options) });
    },
    onSuccess: async () => {
      setName('');
      await refresh();
    },
  });
  const remove = useMutation({ mutationFn: (id: string) => client.removePasskey(id), onSuccess: refresh });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    register.mutate(name.trim());
  }

  return (
    <Paper withBorder p="lg">
      <Stack gap="sm">
        <Title order={2} size="h4">
          Passkeys
        </Title>
        <Text size="sm">
          A passkey signs you in with a touch or a glance instead of a code: a security key, or this device’s
          own (Windows Hello, Touch ID, Android). It works where a code does: at sign-in and to activate roles
          that require MFA.
        </Text>
        {list.isError && (
          <ErrorAlert
            title="Your passkeys could not be read"
            error={list.error}
            onRetry={() => void list.refetch()}
          />
        )}
        {list.data && list.data.length > 0 && (
          <Table aria-label="My passkeys" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Added</Table.Th>
                <Table.Th>Last used</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>{p.name}</Table.Td>
                  <Table.Td>{formatInstant(p.createdDateTime)}</Table.Td>
                  <Table.Td>{p.lastUsedDateTime ? formatInstant(p.lastUsedDateTime) : 'Never'}</Table.Td>
                  <Table.Td>
                    <Button
                      variant="subtle"
                      color="red"
                      size="compact-sm"
                      aria-label={`Remove passkey ${p.name}`}
                      loading={remove.isPending && remove.variables === p.id}
                      onClick={() => remove.mutate(p.id)}
                    >
                      Remove
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {remove.isError && (
          <Alert color="red" role="alert" title="Not removed">
            {message(remove.error)}
          </Alert>
        )}
        {passkeysSupported() ? (
          <form onSubmit={submit} aria-label="Add a passkey">
            <Group align="flex-end">
              <TextInput
                label="Passkey name"
                description="To tell your passkeys apart"
                placeholder="YubiKey, Laptop…"
                required
                maxLength={100}
                value={name}
                onChange={(e) => setName(e.currentTarget.value)}
                w={260}
              />
              <Button type="submit" loading={register.isPending}>
                Add a passkey
              </Button>
            </Group>
          </form>
        ) : (
          <Text size="sm" c="dimmed">
            This browser cannot use passkeys here.
          </Text>
        )}
        {register.isError && (
          <Alert color="red" role="alert" title="No passkey added">
            {message(register.error)}
          </Alert>
        )}
        {register.isSuccess && (
          <Alert color="green" role="status">
            Passkey “{register.data.name}” added.
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
