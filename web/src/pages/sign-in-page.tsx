import {
  Alert,
  Button,
  Center,
  Divider,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { type FormEvent, useEffect, useState } from 'react';
import { createElevateClient, isApiError, type SignInProviders } from '../../../src/contracts/browser';
import { answerWithPasskey, passkeyErrorMessage, passkeysSupported } from '../lib/passkeys';
import { expectPortalSession, useSessionApi } from '../session';

/**
 * The identity provider's address for a portal sign-in: the server starts the flow and, when it ends, sets the
 * session cookie and comes back to `returnTo` (or to this page with `?error=`).
 */
function singleSignOnUrl(returnTo: string | undefined): string {
  const params = new URLSearchParams({ portal: 'true' });
  if (returnTo?.startsWith('/') && !returnTo.startsWith('//')) params.set('return_to', returnTo);
  return `/api/auth/oidc/login?${params.toString()}`;
}

/**
 * User name and password, then the second factor when the account has one: a code or a passkey; or single
 * sign-on through the identity provider when the server has one.
 */
export function SignInPage() {
  const { session, notice, signIn } = useSessionApi();
  const search = useSearch({ from: '/sign-in' });
  const navigate = useNavigate();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needsCode, setNeedsCode] = useState(false);
  const [error, setError] = useState<string | null>(search.error ?? null);
  const [busy, setBusy] = useState(false);
  const [providers, setProviders] = useState<SignInProviders | null>(null);

  useEffect(() => {
    let live = true;
    createElevateClient({ baseUrl: window.location.origin })
      .signInProviders()
      .then((p) => live && setProviders(p))
      // Without the answer the page offers the password sign-in alone.
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);

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
            {providers?.oidc && !needsCode && (
              <>
                <Divider label="or" labelPosition="center" />
                <Button
                  component="a"
                  variant="default"
                  href={singleSignOnUrl(search.redirect)}
                  onClick={expectPortalSession}
                >
                  Sign in with {providers.oidc.label}
                </Button>
              </>
            )}
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
