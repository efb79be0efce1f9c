import {
  Alert,
  Anchor,
  Button,
  Code,
  CopyButton,
  Group,
  List,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { ErrorAlert, errorMessage } from '../components/error-alert';
import { PasskeysCard } from '../components/passkeys-card';
import { PasswordCard } from '../components/password-card';
import { formatInstant } from '../lib/time';
import { useSession } from '../session';

/** "JBSWY3DPEHPK3PXP" → "JBSW Y3DP EHPK 3PXP", easier to type into an app. */
const grouped = (secret: string): string => secret.replace(/(.{4})/g, '$1 ').trim();

/**
 * Sets up an authenticator app (TOTP): the key and the otpauth:// link to add to the app, a first code to
 * confirm it, then the recovery codes, shown this once. Roles whose settings require MFA ask for a code from
 * it at each activation.
 */
export function AuthenticatorPage() {
  const { client } = useSession();
  const queryClient = useQueryClient();
  const status = useQuery({ queryKey: ['mfa-status'], queryFn: () => client.mfaStatus() });
  const start = useMutation({ mutationFn: () => client.startTotpEnrolment() });
  const [code, setCode] = useState('');
  const confirm = useMutation({
    mutationFn: (c: string) => client.confirmTotp(c.trim()),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['mfa-status'] }),
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    confirm.mutate(code);
  }

  const recoveryCodes = confirm.data?.recoveryCodes;
  const enrolment = start.data;

  return (
    <Stack gap="lg" maw={760}>
      <div>
        <Title order={1} size="h2">
          Authenticator
        </Title>
        <Text c="dimmed" size="sm">
          An authenticator app on your phone shows a new 6-digit code every 30 seconds. You give one when you
          sign in and each time you activate a role whose settings require multi-factor authentication.
        </Text>
      </div>

      {status.isPending && <Skeleton h={96} aria-hidden />}
      {status.isError && (
        <ErrorAlert
          title="Your authenticator status could not be read"
          error={status.error}
          onRetry={() => void status.refetch()}
        />
      )}

      {recoveryCodes ? (
        <Paper withBorder p="lg">
          <Stack gap="sm">
            <Title order={2} size="h4">
              Your authenticator app is set up
            </Title>
            <Text size="sm">
              Keep these recovery codes somewhere safe: each signs you in once if you lose your phone. They
              are shown only now.
            </Text>
            <SimpleGrid
              cols={{ base: 2, sm: 5 }}
              spacing="xs"
              aria-label="Recovery codes"
              component="ul"
              p={0}
            >
              {recoveryCodes.map((c) => (
                <Code key={c} component="li" style={{ listStyle: 'none' }}>
                  {c}
                </Code>
              ))}
            </SimpleGrid>
            <Group>
              <CopyButton value={recoveryCodes.join('\n')}>
                {({ copied, copy }) => (
                  <Button variant="default" size="xs" onClick={copy}>
                    {copied ? 'Copied' : 'Copy the codes'}
                  </Button>
                )}
              </CopyButton>
              <Button component={Link} to="/my-roles" size="xs">
                Back to My roles
              </Button>
            </Group>
          </Stack>
        </Paper>
      ) : status.data?.totp === 'confirmed' ? (
        <Paper withBorder p="lg">
          <Stack gap="xs">
            <Title order={2} size="h4">
              Your authenticator app is set up
            </Title>
            <Text size="sm">
              {status.data.confirmedDateTime ? `Since ${formatInstant(status.data.confirmedDateTime)}. ` : ''}
              {status.data.recoveryCodesLeft} recovery{' '}
              {status.data.recoveryCodesLeft === 1 ? 'code' : 'codes'} left.
            </Text>
            <Text size="sm">
              <Anchor component={Link} to="/my-roles">
                Back to My roles
              </Anchor>
            </Text>
          </Stack>
        </Paper>
      ) : status.data && !enrolment ? (
        <Paper withBorder p="lg">
          <Stack gap="sm" align="flex-start">
            <Title order={2} size="h4">
              Set up an authenticator app
            </Title>
            <Text size="sm">
              {status.data.totp === 'pending'
                ? 'A setup was started but not confirmed. Start again to get a new key.'
                : 'You have none yet. Any TOTP app works: Microsoft Authenticator, Google Authenticator, 1Password, Aegis…'}
            </Text>
            {start.isError && (
              <Alert color="red" role="alert" title="Not started">
                {errorMessage(start.error)}
              </Alert>
            )}
            <Button onClick={() => start.mutate()} loading={start.isPending}>
              {status.data.totp === 'pending' ? 'Start again' : 'Set up authenticator'}
            </Button>
          </Stack>
        </Paper>
      ) : null}

      {enrolment && !recoveryCodes && (
        <Paper withBorder p="lg">
          <form onSubmit={submit} aria-label="Confirm your authenticator app">
            <Stack gap="md">
              <Title order={2} size="h4">
                Add Elevate to your app
              </Title>
              <List type="ordered" spacing="sm" size="sm">
                <List.Item>
                  In your authenticator app, add an account and choose to enter a key, then type this key
                  (time-based):
                  <Group gap="xs" mt={6}>
                    <Code fz="md" aria-label="Secret key">
                      {grouped(enrolment.secret)}
                    </Code>
                    <CopyButton value={enrolment.secret}>
                      {({ copied, copy }) => (
                        <Button variant="subtle" size="compact-xs" onClick={copy}>
                          {copied ? 'Copied' : 'Copy key'}
                        </Button>
                      )}
                    </CopyButton>
                  </Group>
                </List.Item>
                <List.Item>
                  Or, on the phone itself, open this link, which carries the same key:
                  <Code
                    block
                    mt={6}
                    aria-label="Setup link"
                    style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}
                  >
                    {enrolment.otpauthUri}
                  </Code>
                </List.Item>
                <List.Item>Type the 6-digit code the app now shows for Elevate to confirm.</List.Item>
              </List>
              <TextInput
                label="Code from the app"
                autoComplete="one-time-code"
                inputMode="numeric"
                maxLength={10}
                required
                value={code}
                onChange={(e) => setCode(e.currentTarget.value)}
                error={confirm.isError ? errorMessage(confirm.error) : undefined}
                w={220}
              />
              <Group>
                <Button type="submit" loading={confirm.isPending}>
                  Confirm
                </Button>
              </Group>
            </Stack>
          </form>
        </Paper>
      )}

      <PasskeysCard />
      <PasswordCard />
    </Stack>
  );
}
