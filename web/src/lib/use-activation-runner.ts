import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef, useState } from 'react';
import type { ActivationSettings } from '../../../src/contracts/browser';
import { errorMessage } from '../components/error-alert';
import { useSession } from '../session';
import { type AccessRow, rowPhrase } from './my-access';
import { activationOutcome } from './outcome';
import { stepUpWith } from './step-up-factor';
import {
  type ActivationDetails,
  isStepUpRefusal,
  type RequestOutcome,
  sendSelfRequest,
  settingsQuery,
  stepUpReason,
  targetKey,
} from './targets';

/** One target being activated, with its settings. */
export interface ActivationItem {
  readonly row: AccessRow;
  readonly settings: ActivationSettings;
}

/** Where one target's activation stands. */
export type ItemState =
  | { readonly kind: 'waiting' }
  | { readonly kind: 'sending' }
  /** The target asks for a fresh code; `codeError` says why the last one was refused. */
  | { readonly kind: 'needsCode'; readonly reason: string; readonly codeError?: string }
  | { readonly kind: 'noAuthenticator' }
  | { readonly kind: 'done'; readonly request: RequestOutcome; readonly message: string }
  | { readonly kind: 'refused'; readonly message: string };

const askForCode = 'Asks for a code from your authenticator app.';

/**
 * Activates targets one after another with the same details, stepping up where a target asks for MFA: a code
 * proves presence for one target only (the proof is bound to it and spent by its request), so each such
 * target needs its own code. A proof the server did not spend (the request was refused for another rule) is
 * kept for the next try until it expires.
 */
export function useActivationRunner(args: { enrolled: boolean }) {
  const { client, user } = useSession();
  const queryClient = useQueryClient();
  const [states, setStates] = useState<Readonly<Record<string, ItemState>>>({});
  const proofs = useRef(new Map<string, { proof: string; until: number }>());

  const refresh = useCallback(
    () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['my-access'] }),
        queryClient.invalidateQueries({ queryKey: ['my-requests'] }),
      ]),
    [queryClient],
  );
  const set = useCallback((id: string, state: ItemState) => setStates((s) => ({ ...s, [id]: state })), []);

  const proofFor = useCallback((item: ActivationItem): string | undefined => {
    const key = targetKey(item.row.target);
    const kept = proofs.current.get(key);
    if (kept && kept.until > Date.now() + 5_000) return kept.proof;
    proofs.current.delete(key);
    return undefined;
  }, []);

  /** Steps up with `code` when given, then sends the request; answers the item's new state. */
  const send = useCallback(
    async (item: ActivationItem, details: ActivationDetails, code?: string): Promise<ItemState> => {
      const key = targetKey(item.row.target);
      let proof = proofFor(item);
      if (code !== undefined) {
        try {
          const grant = await stepUpWith(client, item.row.target, code);
          proof = grant.proof;
          proofs.current.set(key, { proof, until: Date.parse(grant.expiresDateTime) });
        } catch (e) {
          return { kind: 'needsCode', reason: askForCode, codeError: errorMessage(e) };
        }
      }
      try {
        const request = await sendSelfRequest(client, {
          principalId: user.id,
          target: item.row.target,
          action: 'selfActivate',
          details,
          ...(proof ? { stepUpProof: proof } : {}),
        });
        proofs.current.delete(key);
        return { kind: 'done', request, message: activationOutcome(rowPhrase(item.row), request) };
      } catch (e) {
        if (isStepUpRefusal(e)) {
          proofs.current.delete(key);
          // The settings changed since they were read: show what they ask for now.
          void queryClient.invalidateQueries({ queryKey: settingsQuery(client, item.row.target).queryKey });
          return args.enrolled ? { kind: 'needsCode', reason: stepUpReason(e) } : { kind: 'noAuthenticator' };
        }
        return { kind: 'refused', message: errorMessage(e) };
      }
    },
    [client, user.id, args.enrolled, proofFor, queryClient],
  );

  /**
   * Sends every item in order. Items for which `needsCode` holds and no unspent proof is kept step up first:
   * `codeItem` with `code` (from the form), the others wait for a code of their own. Answers the final states.
   */
  const run = useCallback(
    async (
      items: readonly ActivationItem[],
      details: ActivationDetails,
      opts: { code: string; codeItem: ActivationItem | undefined; needsCode(item: ActivationItem): boolean },
    ) => {
      setStates(Object.fromEntries(items.map((i) => [i.row.id, { kind: 'waiting' } as ItemState])));
      const final: Record<string, ItemState> = {};
      for (const item of items) {
        set(item.row.id, { kind: 'sending' });
        let state: ItemState;
        if (opts.needsCode(item) && !proofFor(item)) {
          state = !args.enrolled
            ? { kind: 'noAuthenticator' }
            : item === opts.codeItem && opts.code.trim()
              ? await send(item, details, opts.code)
              : { kind: 'needsCode', reason: askForCode };
        } else {
          state = await send(item, details);
        }
        final[item.row.id] = state;
        set(item.row.id, state);
      }
      await refresh();
      return final;
    },
    [send, set, refresh, args.enrolled, proofFor],
  );

  /** One more try for one item, with a fresh code. */
  const retry = useCallback(
    async (item: ActivationItem, details: ActivationDetails, code: string) => {
      set(item.row.id, { kind: 'sending' });
      const state = await send(item, details, code);
      set(item.row.id, state);
      if (state.kind === 'done') await refresh();
      return state;
    },
    [send, set, refresh],
  );

  return { states, run, retry, hasProof: (item: ActivationItem) => proofFor(item) !== undefined };
}
