import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { type FormEvent, useEffect, useState } from 'react';
import { createElevateClient, isApiError } from '../../../src/contracts/browser';
import { answerWithPasskey, passkeyErrorMessage, passkeysSupported } from '../lib/passkeys';
import { useSessionApi } from '../session';

/** User name and password, then the second factor when the account has one: a code or a passkey. */
export function SignInPage() {
  const { session, notice, signIn } = useSessionApi();
  const search = useSearch({ from: '/sign-in' });
  const navigate = useNavigate();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needsCode, setNeedsCode] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // Navigate once the new session has reached the router's context (the next render), not before.
  useEffect(() => {
    if (session) void navigate({ to: search.redirect ?? '/my-roles', replace: true });
  }, [session, search.redirect, navigate]);

  async function signInWithPasskey() {
    setBusy(true);
    setError(null);
    try {
      const credentials = { username: username.trim(), password };
      const options = await createElevateClient({ baseUrl: window.location.origin }).passkeySignInOptions(
        credentials,
      );
      await signIn({ ...credentials, passkey: await answerWithPasskey(options) });
    } catch (e) {
      setError(isApiError(e) ? e.message : passkeyErrorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn({ username: username.trim(), password, ...(needsCode ? { totp: totp.trim() } : {}) });
    } catch (e) {
      if (isApiError(e) && e.code === 'auth.mfa_required' && !needsCode) {
        setNeedsCode(true);
      } else {
        setError(isApiError(e) ? e.message : 'Signing in failed. Try again.');
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={400}>
        <form onSubmit={submit} aria-labelledby="sign-in-title">
          <Stack gap="md">
            <div>
              <Title order={1} size="h2" id="sign-in-title">
                Sign in to Elevate
              </Title>
              <Text c="dimmed" size="sm" mt={4}>
                Activate your privileged roles when you need them.
              </Text>
            </div>
            {notice && !error && (
              <Alert color="yellow" role="status">
                {notice}
              </Alert>
            )}
            {error && (
              <Alert color="red" role="alert" title="Not signed in">
                {error}
              </Alert>
            )}
            <TextInput
              label="User name"
              placeholder="adam@elevate.example"
              autoComplete="username"
              autoFocus
              required
              value={username}
              onChange={(e) => setUsername(e.currentTarget.value)}
              disabled={needsCode}
            />
            <PasswordInput
              label="Password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              disabled={needsCode}
            />
            {needsCode && (
              <TextInput
                label="Authentication code"
                description="The 6-digit code your authenticator app shows now"
                autoComplete="one-time-code"
                inputMode="numeric"
                autoFocus
                required
                value={totp}
                onChange={(e) => setTotp(e.currentTarget.value)}
              />
            )}
            <Button type="submit" loading={busy}>
              Sign in
            </Button>
            {needsCode && passkeysSupported() && (
              <Button variant="default" onClick={() => void signInWithPasskey()} disabled={busy}>
                Use a passkey instead
              </Button>
            )}
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
