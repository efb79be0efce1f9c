import {
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { ElevateError } from '../../core/errors.js';
import type { AuditWriter } from '../audit/audit-writer.js';
import type { AppDeps, CallContext, Executor } from '../context.js';
import { type AuthSubject, authAudit } from './auth-audit.js';
import { userOnly } from './mfa-service.js';
import type { StepUpTarget } from './step-up-proofs.js';
import {
  assertionOptions,
  challengeTtlSeconds,
  keepChallenge,
  type RelyingParty,
  takeChallenge,
} from './webauthn.js';

/** A registered passkey as its owner sees it: never its key material. */
export interface Passkey {
  readonly id: string;
  readonly name: string;
  readonly transports: readonly string[];
  /** `singleDevice` (a security key) or `multiDevice` (synced between devices). */
  readonly deviceType: string;
  readonly backedUp: boolean;
  readonly createdDateTime: Date;
  readonly lastUsedDateTime: Date | null;
}

interface PasskeyDeps extends Pick<AppDeps, 'db' | 'clock' | 'ids'> {
  readonly audit: AuditWriter;
  readonly rp: RelyingParty;
}

/** A user may keep this many passkeys. */
const maxPasskeys = 20;

const uuidBytes = (id: string): Uint8Array<ArrayBuffer> =>
  new Uint8Array(Buffer.from(id.replaceAll('-', ''), 'hex'));

/**
 * Passkeys (WebAuthn) as a second factor of local accounts: registration (options with a single-use challenge,
 * then the authenticator's answer, attestation `none`), the caller's list, removal, and the options of a
 * step-up bound to one target. Only the public key, counter and transports are stored. Every change is audited.
 */
export function createPasskeyService(deps: PasskeyDeps) {
  const { db, clock, ids, audit, rp } = deps;

  async function me(executor: Executor, userId: string): Promise<AuthSubject> {
    const u = await executor
      .selectFrom('users')
      .select(['id', 'display_name', 'user_principal_name'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    return { id: u.id, displayName: u.display_name, type: 'User', userPrincipalName: u.user_principal_name };
  }

  const record = (ctx: CallContext, subject: AuthSubject, activity: string, name: string) =>
    authAudit({
      id: ids.newId(),
      at: clock.now(),
      activity,
      success: true,
      actor: ctx.actor,
      actorUpn: subject.userPrincipalName ?? null,
      subject,
      details: [
        { key: 'AuthenticationMethod', value: 'Passkey (WebAuthn)' },
        { key: 'PasskeyName', value: name },
      ],
      correlationId: ctx.requestId,
      category: 'UserManagement',
    });

  return {
    relyingParty: rp,

    /** Options for `navigator.credentials.create()`; the challenge is kept for five minutes, single-use. */
    async registrationOptions(ctx: CallContext): Promise<PublicKeyCredentialCreationOptionsJSON> {
      userOnly(ctx.actor, 'register a passkey');
      const subject = await me(db, ctx.actor.id);
      const existing = await db
        .selectFrom('user_passkeys')
        .select(['credential_id', 'transports'])
        .where('user_id', '=', subject.id)
        .execute();
      const options = await generateRegistrationOptions({
        rpName: rp.name,
        rpID: rp.id,
        userName: subject.userPrincipalName ?? subject.id,
        userDisplayName: subject.displayName,
        userID: uuidBytes(subject.id),
        attestationType: 'none',
        excludeCredentials: existing.map((p) => ({ id: p.credential_id, transports: p.transports })),
        authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
        timeout: challengeTtlSeconds * 1000,
      });
      await db.transaction().execute((trx) =>
        keepChallenge(trx, {
          id: ids.newId(),
          challenge: options.challenge,
          userId: subject.id,
          purpose: 'register',
          now: clock.now(),
        }),
      );
      return options;
    },

    /** Verifies the authenticator's answer to a registration challenge and keeps the new passkey. */
    async register(
      ctx: CallContext,
      input: { name: string; response: RegistrationResponseJSON },
    ): Promise<Passkey> {
      userOnly(ctx.actor, 'register a passkey');
      const now = clock.now();
      const outcome = await db.transaction().execute(async (trx) => {
        const subject = await me(trx, ctx.actor.id);
        const taken = await takeChallenge(trx, {
          clientDataJSON: input.response.response.clientDataJSON,
          userId: subject.id,
          purpose: 'register',
          now,
        });
        if (!taken) {
          return 'The registration challenge is unknown, used or expired; ask for new options (POST /api/v1/me/passkeys/options).';
        }
        let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
        try {
          verified = await verifyRegistrationResponse({
            response: input.response,
            expectedChallenge: taken.challenge,
            expectedOrigin: rp.origin,
            expectedRPID: rp.id,
            requireUserVerification: false,
          });
        } catch (error) {
          return `The passkey could not be registered: ${error instanceof Error ? error.message : 'its answer is invalid'}.`;
        }
        if (!verified.verified) return 'The passkey could not be registered: its answer did not verify.';
        const info = verified.registrationInfo;
        const count = await trx
          .selectFrom('user_passkeys')
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .where('user_id', '=', subject.id)
          .executeTakeFirstOrThrow();
        if (Number(count.n) >= maxPasskeys)
          return `You have ${maxPasskeys} passkeys already; remove one first.`;
        const taken2 = await trx
          .selectFrom('user_passkeys')
          .select('id')
          .where('credential_id', '=', info.credential.id)
          .executeTakeFirst();
        if (taken2) return 'This passkey is registered already.';
        const id = ids.newId();
        const transports = info.credential.transports ?? input.response.response.transports ?? [];
        await trx
          .insertInto('user_passkeys')
          .values({
            id,
            user_id: subject.id,
            credential_id: info.credential.id,
            public_key: Buffer.from(info.credential.publicKey).toString('base64url'),
            counter: info.credential.counter,
            transports: JSON.stringify(transports),
            name: input.name,
            device_type: info.credentialDeviceType,
            backed_up: info.credentialBackedUp,
            created_at: now,
            last_used_at: null,
          })
          .execute();
        await audit.append(trx, [record(ctx, subject, 'User registered security info', input.name)]);
        return {
          id,
          name: input.name,
          transports,
          deviceType: info.credentialDeviceType,
          backedUp: info.credentialBackedUp,
          createdDateTime: now,
          lastUsedDateTime: null,
        } satisfies Passkey;
      });
      if (typeof outcome === 'string') throw new ElevateError('request.invalid', outcome);
      return outcome;
    },

    /** The caller's passkeys, oldest first. */
    async list(ctx: CallContext): Promise<Passkey[]> {
      userOnly(ctx.actor, 'have passkeys');
      const rows = await db
        .selectFrom('user_passkeys')
        .selectAll()
        .where('user_id', '=', ctx.actor.id)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        name: r.name,
        transports: r.transports,
        deviceType: r.device_type,
        backedUp: r.backed_up,
        createdDateTime: r.created_at,
        lastUsedDateTime: r.last_used_at,
      }));
    },

    /** Removes one of the caller's passkeys; another user's id answers as unknown. */
    async remove(ctx: CallContext, passkeyId: string): Promise<void> {
      userOnly(ctx.actor, 'remove a passkey');
      const unknown = new ElevateError('resource.not_found', `You have no passkey '${passkeyId}'.`, {
        target: passkeyId,
      });
      if (!/^[0-9a-f-]{36}$/i.test(passkeyId)) throw unknown;
      await db.transaction().execute(async (trx) => {
        const removed = await trx
          .deleteFrom('user_passkeys')
          .where('id', '=', passkeyId.toLowerCase())
          .where('user_id', '=', ctx.actor.id)
          .returning('name')
          .executeTakeFirst();
        if (!removed) throw unknown;
        await audit.append(trx, [
          record(ctx, await me(trx, ctx.actor.id), 'User deleted security info', removed.name),
        ]);
      });
    },

    /** Options for a passkey step-up bound to `target`; the assertion then goes to POST /api/v1/me/step-up. */
    async stepUpOptions(
      ctx: CallContext,
      target: StepUpTarget,
    ): Promise<PublicKeyCredentialRequestOptionsJSON> {
      userOnly(ctx.actor, 'step up with a passkey');
      const options = await db.transaction().execute((trx) =>
        assertionOptions(trx, {
          rp,
          id: ids.newId(),
          userId: ctx.actor.id,
          purpose: 'stepUp',
          target,
          now: clock.now(),
        }),
      );
      if (!options) {
        throw new ElevateError(
          'request.invalid',
          'You have no passkey; register one (POST /api/v1/me/passkeys) or step up with your authenticator app.',
        );
      }
      return options;
    },
  };
}

export type PasskeyService = ReturnType<typeof createPasskeyService>;
