import { createHash, randomBytes } from 'node:crypto';
import { ElevateError, notFound } from '../../core/errors.js';
import type { AuditWriter } from '../audit/audit-writer.js';
import type { AppDeps, CallContext } from '../context.js';
import { authAudit } from './auth-audit.js';

export const patScopes = ['read', 'write'] as const;
export type PatScope = (typeof patScopes)[number];

/** A personal access token as listed: never its secret. */
export interface PersonalAccessToken {
  readonly id: string;
  readonly name: string;
  /** The first characters, enough to recognise it (`elv_pat_AbCd…`). */
  readonly hint: string;
  readonly scopes: readonly PatScope[];
  readonly createdDateTime: Date;
  readonly expiresDateTime: Date;
  readonly revokedDateTime: Date | null;
  readonly lastUsedDateTime: Date | null;
}

export const patPrefix = 'elv_pat_';

const parseScopes = (stored: unknown): PatScope[] =>
  Array.isArray(stored) ? patScopes.filter((s) => stored.includes(s)) : [];

const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** How often a token's last use is written: at most once a minute, so reads stay reads. */
const lastUsedGranularityMs = 60_000;

/**
 * Personal access tokens for scripts and the CLI: shown once at creation, stored as SHA-256 (they carry 256
 * random bits), listed without the secret, revocable, expiring in 1–365 days, `read` (GET only) or `read` +
 * `write`. A token stands for its user but never counts as MFA and cannot step up.
 */
export function createPersonalAccessTokenService(
  deps: Pick<AppDeps, 'db' | 'clock' | 'ids'> & { audit: AuditWriter },
) {
  const { db, clock, ids, audit } = deps;

  async function me(ctx: CallContext) {
    if (ctx.actor.type !== 'user' || ctx.actor.isSystem) {
      throw new ElevateError('request.invalid', 'Only users have personal access tokens.');
    }
    if (ctx.actor.personalAccessToken) {
      throw new ElevateError(
        'auth.forbidden',
        'A personal access token cannot create or revoke tokens; sign in with your password.',
      );
    }
    const u = await db
      .selectFrom('users')
      .select(['id', 'display_name', 'user_principal_name'])
      .where('id', '=', ctx.actor.id)
      .executeTakeFirstOrThrow();
    return {
      id: u.id,
      displayName: u.display_name,
      type: 'User' as const,
      userPrincipalName: u.user_principal_name,
    };
  }

  const toToken = (r: {
    id: string;
    name: string;
    hint: string;
    scopes: unknown;
    created_at: Date;
    expires_at: Date;
    revoked_at: Date | null;
    last_used_at: Date | null;
  }): PersonalAccessToken => ({
    id: r.id,
    name: r.name,
    hint: r.hint,
    scopes: parseScopes(r.scopes),
    createdDateTime: r.created_at,
    expiresDateTime: r.expires_at,
    revokedDateTime: r.revoked_at,
    lastUsedDateTime: r.last_used_at,
  });

  return {
    async create(
      ctx: CallContext,
      input: { name: string; expiresInDays: number; scopes?: readonly PatScope[] },
    ): Promise<PersonalAccessToken & { token: string }> {
      const subject = await me(ctx);
      const now = clock.now();
      const token = `${patPrefix}${randomBytes(32).toString('base64url')}`;
      const scopes: PatScope[] = [...new Set(input.scopes?.length ? input.scopes : patScopes)];
      const row = {
        id: ids.newId(),
        user_id: subject.id,
        name: input.name,
        token_hash: hashToken(token),
        hint: `${token.slice(0, patPrefix.length + 4)}…`,
        scopes: JSON.stringify(scopes),
        created_at: now,
        expires_at: new Date(now.getTime() + input.expiresInDays * 86_400_000),
        revoked_at: null,
        last_used_at: null,
      };
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('personal_access_tokens').values(row).execute();
        await audit.append(trx, [
          authAudit({
            id: ids.newId(),
            at: now,
            activity: 'Add personal access token',
            success: true,
            actor: ctx.actor,
            actorUpn: subject.userPrincipalName,
            subject,
            details: [
              { key: 'TokenId', value: row.id },
              { key: 'TokenName', value: input.name },
              { key: 'Scopes', value: scopes.join(' ') },
              { key: 'ExpirationTime', value: row.expires_at.toISOString() },
            ],
            correlationId: ctx.requestId,
          }),
        ]);
      });
      return { ...toToken({ ...row, scopes }), token };
    },

    async list(ctx: CallContext): Promise<PersonalAccessToken[]> {
      if (ctx.actor.type !== 'user') return [];
      const rows = await db
        .selectFrom('personal_access_tokens')
        .select(['id', 'name', 'hint', 'scopes', 'created_at', 'expires_at', 'revoked_at', 'last_used_at'])
        .where('user_id', '=', ctx.actor.id)
        .orderBy('created_at', 'desc')
        .execute();
      return rows.map(toToken);
    },

    /** Revokes one of the caller's tokens at once; the next call with it answers 401. */
    async revoke(ctx: CallContext, id: string): Promise<void> {
      const subject = await me(ctx);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const row = /^[0-9a-f-]{36}$/i.test(id)
          ? await trx
              .selectFrom('personal_access_tokens')
              .select(['id', 'name', 'revoked_at'])
              .where('id', '=', id.toLowerCase())
              .where('user_id', '=', subject.id)
              .forUpdate()
              .executeTakeFirst()
          : undefined;
        if (!row) throw notFound('Personal access token', id);
        if (row.revoked_at) return;
        await trx
          .updateTable('personal_access_tokens')
          .set({ revoked_at: now })
          .where('id', '=', row.id)
          .execute();
        await audit.append(trx, [
          authAudit({
            id: ids.newId(),
            at: now,
            activity: 'Revoke personal access token',
            success: true,
            actor: ctx.actor,
            actorUpn: subject.userPrincipalName,
            subject,
            details: [
              { key: 'TokenId', value: row.id },
              { key: 'TokenName', value: row.name },
            ],
            correlationId: ctx.requestId,
          }),
        ]);
      });
    },

    /** The user and scopes behind a presented token, or a 401 when it is unknown, revoked or expired. */
    async resolve(token: string): Promise<{ id: string; userId: string; scopes: PatScope[] }> {
      const row = await db
        .selectFrom('personal_access_tokens')
        .select(['id', 'user_id', 'scopes', 'expires_at', 'revoked_at', 'last_used_at'])
        .where('token_hash', '=', hashToken(token))
        .executeTakeFirst();
      const now = clock.now();
      if (!row) throw new ElevateError('auth.unauthenticated', 'The personal access token is invalid.');
      if (row.revoked_at)
        throw new ElevateError('auth.unauthenticated', 'The personal access token was revoked.');
      if (row.expires_at.getTime() <= now.getTime()) {
        throw new ElevateError(
          'auth.unauthenticated',
          `The personal access token expired at ${row.expires_at.toISOString()}; create a new one.`,
        );
      }
      if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() >= lastUsedGranularityMs) {
        await db
          .updateTable('personal_access_tokens')
          .set({ last_used_at: now })
          .where('id', '=', row.id)
          .execute();
      }
      return { id: row.id, userId: row.user_id, scopes: parseScopes(row.scopes) };
    },
  };
}

export type PersonalAccessTokenService = ReturnType<typeof createPersonalAccessTokenService>;
