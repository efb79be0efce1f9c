import '@mantine/core/styles.css';
import { createTheme, MantineProvider } from '@mantine/core';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { setNonce } from 'get-nonce';
import { StrictMode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { isApiError } from '../../src/contracts/browser';
import { createAppRouter } from './router';
import {
  type Credentials,
  endPortalSession,
  openPortalSession,
  restorePortalSession,
  type Session,
  type SessionApi,
  SessionProvider,
} from './session';

const theme = createTheme({
  primaryColor: 'blue',
  defaultRadius: 'sm',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
});

/** The nonce the server put in this page's CSP, for the `<style>` element Mantine writes (index.html's meta). */
const styleNonce = () => document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce ?? '';

// Mantine's scroll lock (react-remove-scroll) writes a <style> element too; it takes its nonce from get-nonce.
setNonce(styleNonce());

const expired = 'Your sign-in has expired. Sign in again to continue.';

function App() {
  const [session, setSession] = useState<Session | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // A reload keeps the cookie session: ask the server for it before the routes decide where to go.
  const [restored, setRestored] = useState(false);
  const current = useRef<Session | null>(null);
  current.current = session;
  useEffect(() => {
    void restorePortalSession()
      .then((s) => s && setSession(s))
      .finally(() => setRestored(true));
  }, []);
  // A 401 from any call means the token is no longer accepted: end the session and say why.
  const onUnauthenticated = useRef<(error: unknown) => void>(() => {});
  const [queryClient] = useState(
    () =>
      new QueryClient({
        queryCache: new QueryCache({ onError: (e) => onUnauthenticated.current(e) }),
        mutationCache: new MutationCache({ onError: (e) => onUnauthenticated.current(e) }),
        defaultOptions: {
          queries: { retry: (count, e) => !(isApiError(e) && e.status > 0 && e.status < 500) && count < 2 },
        },
      }),
  );
  const [router] = useState(() => createAppRouter(queryClient));

  const signOut = useCallback(
    (why?: string) => {
      void endPortalSession(current.current);
      setSession(null);
      setNotice(why ?? null);
      queryClient.clear();
      void router.navigate({ to: '/sign-in' });
    },
    [queryClient, router],
  );
  useEffect(() => {
    onUnauthenticated.current = (e) => {
      if (session && isApiError(e) && e.status === 401) signOut(expired);
    };
  }, [session, signOut]);

  const signIn = useCallback(async (credentials: Credentials) => {
    const next = await openPortalSession(credentials);
    setNotice(null);
    setSession(next);
  }, []);

  const api = useMemo<SessionApi>(
    () => ({ session, notice, signIn, signOut }),
    [session, notice, signIn, signOut],
  );

  return (
    <SessionProvider value={api}>
      <QueryClientProvider client={queryClient}>
        {restored && <RouterProvider router={router} context={{ session, queryClient }} />}
      </QueryClientProvider>
    </SessionProvider>
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="light" getStyleNonce={styleNonce}>
      <App />
    </MantineProvider>
  </StrictMode>,
);
