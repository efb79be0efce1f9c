import { sql } from 'kysely';
import type { Executor } from '../context.js';
import type { OidcAuthentication } from '../ports/oidc-provider.js';

/** The ID token claim that finds a user at the first sign-in (ELEVATE_OIDC_MATCH_CLAIM). */
export type OidcMatchClaim = 'email' | 'preferred_username' | 'upn' | 'sub' | 'oid';

/** The user an OIDC sign-in resolves to. */
export interface OidcUser {
  readonly id: string;
  readonly displayName: string;
  readonly userPrincipalName: string;
  readonly accountEnabled: boolean;
  readonly isEmergencyAccess: boolean;
}

export type OidcResolution =
  | { readonly kind: 'user'; readonly user: OidcUser; readonly created: boolean }
  | { readonly kind: 'refused'; readonly message: string; readonly user?: OidcUser };

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const text = (v: unknown, max = 256): string | null =>
  typeof v === 'string' && v.trim() !== '' && v.length <= max ? v.trim() : null;

/**
 * Finds the user a provider's subject stands for, in the caller's transaction. A subject already linked
 * (`user_identities`) resolves to its user whatever its claims say now. Otherwise the configured claim finds the
 * user case-insensitively (email: the user's mail or user principal name; preferred_username and upn: the user
 * principal name; sub and oid: the user's id); the subject is then linked, unless that user is already linked to
 * another subject of the same provider (a reassigned address must not take over an account). With `createUsers`,
 * a person no user matches becomes a new user without a local password; otherwise they are refused.
 * `email_verified: false` never matches by email.
 */
export async function resolveOidcUser(
  trx: Executor,
  args: {
    auth: OidcAuthentication;
    matchClaim: OidcMatchClaim;
    createUsers: boolean;
    now: Date;
    newId: () => string;
  },
): Promise<OidcResolution> {
  const { auth, now } = args;
  const users = () =>
    trx
      .selectFrom('users')
      .select(['id', 'display_name', 'user_principal_name', 'account_enabled', 'is_emergency_access']);
  const toUser = (r: {
    id: string;
    display_name: string;
    user_principal_name: string;
    account_enabled: boolean;
    is_emergency_access: boolean;
  }): OidcUser => ({
    id: r.id,
    displayName: r.display_name,
    userPrincipalName: r.user_principal_name,
    accountEnabled: r.account_enabled,
    isEmergencyAccess: r.is_emergency_access,
  });

  const linked = await trx
    .selectFrom('user_identities')
    .innerJoin('users', 'users.id', 'user_identities.user_id')
    .select(['users.id', 'display_name', 'user_principal_name', 'account_enabled', 'is_emergency_access'])
    .where('issuer', '=', auth.issuer)
    .where('subject', '=', auth.subject)
    .executeTakeFirst();
  if (linked) {
    await trx
      .updateTable('user_identities')
      .set({ last_sign_in_at: now })
      .where('issuer', '=', auth.issuer)
      .where('subject', '=', auth.subject)
      .execute();
    return { kind: 'user', user: toUser(linked), created: false };
  }

  const claim = args.matchClaim;
  const value = text(auth.claims[claim])?.toLowerCase() ?? null;
  if (value === null) {
    return {
      kind: 'refused',
      message: `The identity provider sent no '${claim}' claim, which this server matches users by (ELEVATE_OIDC_MATCH_CLAIM); ask your administrator.`,
    };
  }
  if (claim === 'email' && auth.claims.email_verified === false) {
    return {
      kind: 'refused',
      message: `The identity provider says the email address '${value}' is not verified, so it cannot identify a user.`,
    };
  }
  const lower = (column: 'mail' | 'user_principal_name') => sql<string>`lower(${sql.ref(column)})`;
  const matches =
    claim === 'email'
      ? await users()
          .where((eb) => eb.or([eb(lower('mail'), '=', value), eb(lower('user_principal_name'), '=', value)]))
          .limit(2)
          .execute()
      : claim === 'sub' || claim === 'oid'
        ? uuid.test(value)
          ? await users().where('id', '=', value).execute()
          : []
        : await users().where(lower('user_principal_name'), '=', value).limit(2).execute();
  if (matches.length > 1) {
    return {
      kind: 'refused',
      message: `More than one user matches ${claim} '${value}'; an administrator must make it unique (or link the account).`,
    };
  }
  let user = matches[0] ? toUser(matches[0]) : undefined;
  let created = false;
  if (!user) {
    if (!args.createUsers) {
      return {
        kind: 'refused',
        message: `No Elevate user matches ${claim} '${value}'. An administrator must create your user first.`,
      };
    }
    const made = await createUser(trx, { auth, value, claim, now, id: args.newId() });
    if (made.kind === 'refused') return made;
    user = made.user;
    created = true;
  }

  const other = await trx
    .selectFrom('user_identities')
    .select('subject')
    .where('issuer', '=', auth.issuer)
    .where('user_id', '=', user.id)
    .executeTakeFirst();
  if (other) {
    return {
      kind: 'refused',
      user,
      message: `The user ${user.userPrincipalName} is linked to another account at this identity provider; an administrator must unlink it first.`,
    };
  }
  await trx
    .insertInto('user_identities')
    .values({
      issuer: auth.issuer,
      subject: auth.subject,
      user_id: user.id,
      created_at: now,
      last_sign_in_at: now,
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
  return { kind: 'user', user, created };
}

/** A new user (no local password) named by the provider's claims; refused when the user name is taken. */
async function createUser(
  trx: Executor,
  args: { auth: OidcAuthentication; value: string; claim: OidcMatchClaim; now: Date; id: string },
): Promise<{ kind: 'user'; user: OidcUser } | { kind: 'refused'; message: string }> {
  const c = args.auth.claims;
  const upn =
    args.claim === 'sub' || args.claim === 'oid'
      ? (text(c.preferred_username) ?? text(c.upn) ?? text(c.email))
      : args.value;
  if (!upn) {
    return {
      kind: 'refused',
      message:
        'The identity provider sent no user name (preferred_username, upn or email) to create your user with; ask your administrator.',
    };
  }
  const given = text(c.given_name, 64);
  const family = text(c.family_name, 64);
  const displayName = text(c.name, 256) ?? ([given, family].filter(Boolean).join(' ') || upn);
  // A provider's object id that is a UUID becomes the user's id, so later matching by sub or oid finds it.
  const id = (args.claim === 'sub' || args.claim === 'oid') && uuid.test(args.value) ? args.value : args.id;
  const inserted = await trx
    .insertInto('users')
    .values({
      id,
      user_principal_name: upn,
      display_name: displayName,
      mail: text(c.email),
      given_name: given,
      surname: family,
      job_title: null,
      account_enabled: true,
      password_hash: null,
      is_emergency_access: false,
      created_at: args.now,
      updated_at: args.now,
    })
    .onConflict((oc) => oc.doNothing())
    .returning(['id', 'display_name', 'user_principal_name', 'account_enabled', 'is_emergency_access'])
    .executeTakeFirst();
  if (inserted) {
    return {
      kind: 'user',
      user: {
        id: inserted.id,
        displayName: inserted.display_name,
        userPrincipalName: inserted.user_principal_name,
        accountEnabled: inserted.account_enabled,
        isEmergencyAccess: inserted.is_emergency_access,
      },
    };
  }
  return {
    kind: 'refused',
    message: `A user named ${upn} already exists but does not match your ${args.claim}; ask your administrator to link it.`,
  };
}
