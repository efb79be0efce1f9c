import { createContext, type ReactNode, useContext } from 'react';
import {
  createElevateClient,
  type ElevateClient,
  type GraphUser,
  type PasskeyAssertion,
} from '../../src/contracts/browser';

/**
 * Who is signed in, and a client for their session. The session lives in an HttpOnly cookie the page cannot
 * read; the client sends the session's CSRF token on every change. A reload asks the server for the session
 * again (`GET /api/auth/session`), so it survives until sign-out, the idle timeout or the absolute one.
 */
export interface Session {
  readonly client: ElevateClient;
  readonly user: GraphUser;
}

/** What the sign-in form gives: the password and, once enrolled, one second factor. */
export interface Credentials {
  readonly username: string;
  readonly password: string;
  readonly totp?: string;
  readonly passkey?: PasskeyAssertion;
}

export interface SessionApi {
  readonly session: Session | null;
  /** Why the last session ended when the person did not sign out themselves, to show on the sign-in page. */
  readonly notice: string | null;
  signIn(credentials: Credentials): Promise<void>;
  signOut(notice?: string): void;
}

const SessionContext = createContext<SessionApi | null>(null);

export function SessionProvider(props: { value: SessionApi; children: ReactNode }) {
  return <SessionContext.Provider value={props.value}>{props.children}</SessionContext.Provider>;
}

export function useSessionApi(): SessionApi {
  const api = useContext(SessionContext);
  if (!api) throw new Error('useSessionApi needs a SessionProvider');
  return api;
}

/** The signed-in session; only inside the routes that require one. */
export function useSession(): Session {
  const { session } = useSessionApi();
  if (!session) throw new Error('Not signed in');
  return session;
}

/** Set while a session may exist, so a first visit does not ask the server (and log a 401) for nothing. */
const hint = 'elevate.session';
const baseUrl = () => window.location.origin;

async function sessionFor(csrfToken: string): Promise<Session> {
  const client = createElevateClient({ baseUrl: baseUrl(), csrfToken });
  return { client, user: await client.me() };
}

/** A sign-out still on its way: a new sign-in waits for it, so its cookie is not cleared by the old answer. */
let signingOut: Promise<void> = Promise.resolve();

/** Signs in for a cookie session: the server sets the cookie and answers the CSRF token. */
export async function openPortalSession(credentials: Credentials): Promise<Session> {
  await signingOut;
  const started = await createElevateClient({ baseUrl: baseUrl() }).startSession(credentials);
  window.localStorage.setItem(hint, '1');
  return sessionFor(started.csrfToken);
}

/** Before leaving for the identity provider: the portal comes back with a cookie session to restore. */
export function expectPortalSession(): void {
  window.localStorage.setItem(hint, '1');
}

/** The session this browser's cookie still holds (after a reload), or null. */
export async function restorePortalSession(): Promise<Session | null> {
  if (window.localStorage.getItem(hint) !== '1') return null;
  try {
    const current = await createElevateClient({ baseUrl: baseUrl() }).currentSession();
    return await sessionFor(current.csrfToken);
  } catch {
    window.localStorage.removeItem(hint);
    return null;
  }
}

/** Ends the session on the server (its cookie stops working everywhere) and forgets it here. */
export function endPortalSession(session: Session | null): Promise<void> {
  window.localStorage.removeItem(hint);
  if (session) signingOut = session.client.signOut().catch(() => undefined);
  return signingOut;
}
