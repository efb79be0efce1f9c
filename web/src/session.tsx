import { createContext, type ReactNode, useContext } from 'react';
import type { ElevateClient, GraphUser } from '../../src/contracts/browser';

/**
 * Who is signed in, and a client carrying their token. The token lives in memory only: closing or reloading
 * the tab signs out. (Sign-in with an HttpOnly cookie session replaces this in a later change.)
 */
export interface Session {
  readonly client: ElevateClient;
  readonly user: GraphUser;
}

export interface SessionApi {
  readonly session: Session | null;
  /** Why the last session ended when the person did not sign out themselves, to show on the sign-in page. */
  readonly notice: string | null;
  signIn(credentials: { username: string; password: string; totp?: string }): Promise<void>;
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
