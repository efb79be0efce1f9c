import { Alert, Button, Group, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useSession } from '../session';
import { errorMessage } from './error-alert';

/** Change my local password: the current one, then the new one twice; my other sessions end. */
export function PasswordCard() {
  const { client } = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const change = useMutation({
    mutationFn: () => client.changePassword({ currentPassword: current, newPassword: next }),
    onSuccess: () => {
      setCurrent('');
      setNext('');
      setAgain('');
    },
  });
  const mismatch = again !== '' && again !== next ? 'The two new passwords differ' : null;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!mismatch) change.mutate();
  }

  return (
    <Paper withBorder p="lg">
      <form onSubmit={submit} aria-label="Change password">
        <Stack gap="sm">
          <Title order={2} size="h4">
            Password
          </Title>
          <Text size="sm">
            At least 12 characters; a passphrase of a few words is easy to type and hard to guess. Your other
            signed-in sessions end when you change it.
          </Text>
          <PasswordInput
            label="Current password"
            autoComplete="current-password"
            required
            value={current}
            onChange={(e) => setCurrent(e.currentTarget.value)}
            w={320}
          />
          <PasswordInput
            label="New password"
            autoComplete="new-password"
            required
            minLength={12}
            value={next}
            onChange={(e) => setNext(e.currentTarget.value)}
            w={320}
          />
          <PasswordInput
            label="New password again"
            autoComplete="new-password"
            required
            value={again}
            onChange={(e) => setAgain(e.currentTarget.value)}
            error={mismatch}
            w={320}
          />
          <Group>
            <Button type="submit" loading={change.isPending}>
              Change password
            </Button>
          </Group>
          {change.isError && (
            <Alert color="red" role="alert" title="Password not changed">
              {errorMessage(change.error)}
            </Alert>
          )}
          {change.isSuccess && (
            <Alert color="green" role="status">
              Password changed.
              {change.data.endedSessions > 0
                ? ` ${change.data.endedSessions} other ${change.data.endedSessions === 1 ? 'session was' : 'sessions were'} signed out.`
                : ''}
            </Alert>
          )}
        </Stack>
      </form>
    </Paper>
  );
}
