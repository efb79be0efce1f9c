import type { Actor } from '../../core/model/principal.js';
import type { PimEventSpec } from './pim-events.js';

/**
 * An emergency-access account signed in: `elevate.signin.emergency`, told by the user themself. Announce it in
 * the transaction that records the successful sign-in:
 * `await announcer.announce(trx, signedIn.actor, now, signedIn.specs)` with `signedIn = emergencySignIn(user)`.
 */
export function emergencySignIn(user: { id: string; displayName: string }): {
  actor: Actor;
  specs: PimEventSpec[];
} {
  return {
    actor: { id: user.id, type: 'user', displayName: user.displayName, roleIds: new Set(), mfa: false },
    specs: [
      {
        type: 'elevate.signin.emergency',
        subject: user.id,
        principalId: user.id,
        target: { targetKind: 'directoryRole', roleDefinitionId: 'emergencyAccess', scopeId: '/' },
        targetDisplayName: 'Emergency access sign-in',
        kind: 'assignment',
      },
    ],
  };
}
