import type {
  AccessDecision,
  AccessFacts,
  AccessGrant,
  AccessTarget,
} from '../../core/access/access-grant.js';
import { roleKey } from '../../core/access/action-match.js';
import { checkAccess, explainAccess } from '../../core/access/evaluate-access.js';
import { type AskedAction, askedAction } from '../../core/access/index/role-actions.js';
import { type AskedScope, askedScope } from '../../core/access/index/scope-chains.js';
import { directoryRolePermissions, roleCatalogue } from '../../core/access/role-catalogue.js';
import { canReadAllPim, requirePermission } from '../../core/authorization/permissions.js';
import { notFound } from '../../core/errors.js';
import {
  type AccessSpan,
  customRolesById,
  membershipsOf,
  type PrincipalSummary,
  principalsById,
  roleSchedulesOf,
} from '../../db/repositories/access-repository.js';
import type { AppDeps, CallContext } from '../context.js';
import type { AccessIndexSync } from './access-index-sync.js';
import { canonicalScope, scopeChains } from './scope-chains.js';

/** One question: does this principal hold this role (or an action through a role) at this scope at `at`? */
export interface AccessCheckInput {
  readonly principalId: string;
  readonly target: AccessTarget;
  readonly scope: string;
  /** Now when absent. */
  readonly at?: Date;
}

/**
 * Many questions as columns, one entry per question, in order (the hot route reads a batch into these without an
 * object per question): the principal; the role asked, or undefined when an action is asked; the action ('' when
 * a role is), or a handle for its spelling (`askedAction`); the scope as asked, or the handle `askedScope` gave
 * for that spelling; the instant in epoch ms, NaN for now.
 */
export interface AccessDecideQueries {
  readonly principalIds: readonly string[];
  readonly roleIds: readonly (string | undefined)[];
  readonly actions: readonly (string | AskedAction)[];
  readonly scopes: readonly (string | AskedScope)[];
  readonly ats: ArrayLike<number>;
}

/** Questions given one object each, as columns. */
function columnsOf(queries: readonly AccessCheckInput[]): AccessDecideQueries {
  return {
    principalIds: queries.map((q) => q.principalId),
    roleIds: queries.map((q) => ('roleDefinitionId' in q.target ? q.target.roleDefinitionId : undefined)),
    actions: queries.map((q) => ('action' in q.target ? q.target.action : '')),
    scopes: queries.map((q) => q.scope),
    ats: queries.map((q) => (q.at === undefined ? Number.NaN : q.at.getTime())),
  };
}

/** An action as asked: the spelling, or its handle's. */
const actionText = (a: string | AskedAction | undefined): string =>
  typeof a === 'string' ? a : (a?.action ?? '');

/** What a role question carries in the actions column (never read). */
const noAction = askedAction('');

/** A scope as asked: the spelling, or its handle's canonical form (the same scope). */
const scopeText = (s: string | AskedScope): string => (typeof s === 'string' ? s : s.canonical);

/** The questions of a batch, one object each (what `check` takes). */
function inputsOf(queries: AccessDecideQueries): AccessCheckInput[] {
  return queries.principalIds.map((principalId, i) => {
    const roleDefinitionId = queries.roleIds[i];
    const at = queries.ats[i] as number;
    return {
      principalId,
      target:
        roleDefinitionId !== undefined ? { roleDefinitionId } : { action: actionText(queries.actions[i]) },
      scope: scopeText(queries.scopes[i] as string | AskedScope),
      ...(Number.isNaN(at) ? {} : { at: new Date(at) }),
    };
  });
}

export interface AccessExplanation {
  readonly principal: PrincipalSummary;
  readonly scope: string;
  readonly at: Date;
  /** Active grants first, then eligible ones; nearest scope first. */
  readonly grants: readonly AccessGrant[];
}

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Effective access for downstream systems (invariant 1): check and explain, exact at any instant. Readers of
 * PIM (Global Administrator, Privileged Role Administrator, Global Reader, Security Reader, Security
 * Administrator — service principals holding one of them included) may ask about anyone; everyone about
 * themselves. A batch is answered from a handful of queries, whatever its size.
 */
export function createAccessService(deps: Pick<AppDeps, 'db' | 'clock'> & { index?: AccessIndexSync }) {
  const { db, clock } = deps;
  const asked = new Map<string, AskedScope>();
  /**
   * canonicalScope, memoised as the index's handle for the spelling (which also keeps where the scope's chain
   * is): downstream systems ask about the same scopes over and over.
   */
  const askedScopeOf = (scope: string): AskedScope => {
    let a = asked.get(scope);
    if (a === undefined) {
      a = askedScope(canonicalScope(scope));
      if (asked.size >= 100_000) asked.clear();
      asked.set(scope, a);
    }
    return a;
  };

  function authorize(ctx: CallContext, principalIds: readonly string[]): void {
    const self = principalIds.every((id) => id.toLowerCase() === ctx.actor.id.toLowerCase());
    requirePermission(
      self || canReadAllPim(ctx.actor),
      "see another principal's access",
      'Global Administrator, Privileged Role Administrator, Global Reader, Security Reader or Security Administrator (anyone may ask about themselves)',
    );
  }

  /** The facts of each principal over the span, and the catalogue naming every role they (and the questions) mention. */
  async function load(principalIds: readonly string[], span: AccessSpan, askedRoleIds: readonly string[]) {
    const principals = new Map((await principalsById(db, principalIds)).map((p) => [p.id, p]));
    const known = [...principals.keys()];
    const memberships = await membershipsOf(db, known, span);
    const groupIds = [...new Set([...memberships.values()].flat().map((m) => m.groupId))];
    const schedules = await roleSchedulesOf(db, [...known, ...groupIds], span);
    const builtIns = roleCatalogue();
    const customIds = [
      ...new Set([...schedules.map((s) => s.roleDefinitionId), ...askedRoleIds].map(roleKey)),
    ].filter((id) => guidPattern.test(id) && builtIns(id) === undefined);
    const roles = roleCatalogue((await customRolesById(db, customIds)).map(directoryRolePermissions));
    const factsOf = (principalId: string): AccessFacts => {
      const mine = memberships.get(principalId) ?? [];
      const holders = new Set([principalId, ...mine.map((m) => m.groupId)]);
      return {
        principalId,
        memberships: mine,
        schedules: schedules.filter((s) => holders.has(s.principalId)),
        roles,
      };
    };
    return { principals, factsOf };
  }

  return {
    /** Answers each question in order; an unknown principal is denied (it holds nothing). */
    async check(ctx: CallContext, queries: readonly AccessCheckInput[]): Promise<AccessDecision[]> {
      const principalIds = [...new Set(queries.map((q) => q.principalId.toLowerCase()))];
      authorize(ctx, principalIds);
      const now = clock.now();
      const asked = queries.map((q) => ({ ...q, scope: canonicalScope(q.scope), at: q.at ?? now }));
      const times = asked.map((q) => q.at.getTime());
      const span = { from: new Date(Math.min(...times)), to: new Date(Math.max(...times)) };
      const askedRoleIds = asked.flatMap((q) =>
        'roleDefinitionId' in q.target ? [q.target.roleDefinitionId] : [],
      );
      const { principals, factsOf } = await load(principalIds, span, askedRoleIds);
      const chains = await scopeChains(db, [...new Set(asked.map((q) => q.scope))]);
      const facts = new Map<string, AccessFacts>();
      return asked.map((q) => {
        const id = q.principalId.toLowerCase();
        if (!principals.has(id))
          return { allowed: false, reason: `No principal has the id '${q.principalId}'.` };
        const f = facts.get(id) ?? factsOf(id);
        facts.set(id, f);
        return checkAccess(f, {
          target: q.target,
          scope: q.scope,
          scopeChain: chains.get(q.scope) ?? [],
          at: q.at,
        });
      });
    },

    /**
     * Allow or deny only, for each question in order, from the in-memory access index (exact as of every
     * committed change: it catches up with the change feed first when anything changed). The same answers as
     * `check`, without reasons; without an index, `check`'s.
     */
    async decide(ctx: CallContext, queries: readonly AccessCheckInput[]): Promise<boolean[]> {
      return this.decideColumns(ctx, columnsOf(queries));
    },

    /** `decide` for questions given as columns (what the hot route reads a batch into). */
    async decideColumns(ctx: CallContext, queries: AccessDecideQueries): Promise<boolean[]> {
      // A reader of PIM may ask about anyone: only another caller's batch is compared with the caller, id by id.
      if (!canReadAllPim(ctx.actor)) authorize(ctx, queries.principalIds);
      if (deps.index === undefined) return (await this.check(ctx, inputsOf(queries))).map((d) => d.allowed);
      const now = clock.now().getTime();
      const n = queries.principalIds.length;
      const scopes: AskedScope[] = [];
      const actions: AskedAction[] = [];
      const ats = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const a = queries.actions[i] as string | AskedAction;
        actions.push(
          queries.roleIds[i] !== undefined ? noAction : typeof a === 'string' ? askedAction(a) : a,
        );
        const s = queries.scopes[i] as string | AskedScope;
        scopes.push(typeof s === 'string' ? askedScopeOf(s) : s);
        const at = queries.ats[i] as number;
        ats[i] = Number.isNaN(at) ? now : at;
      }
      const index = await deps.index.fresh();
      return index.checkColumns({
        principalIds: queries.principalIds,
        roleIds: queries.roleIds,
        actions,
        scopes,
        ats,
      });
    },

    /**
     * The handle of a scope spelling for `decideColumns` (its canonical form, and where the index found its
     * chain last), remembered per spelling; refuses a malformed resource scope.
     */
    askedScope: askedScopeOf,

    /** What the principal holds at the scope at `at` (now when absent), and by which path. */
    async explain(
      ctx: CallContext,
      q: { readonly principalId: string; readonly scope: string; readonly at?: Date },
    ): Promise<AccessExplanation> {
      const id = q.principalId.toLowerCase();
      authorize(ctx, [id]);
      const at = q.at ?? clock.now();
      const scope = canonicalScope(q.scope);
      const { principals, factsOf } = await load([id], { from: at, to: at }, []);
      const principal = principals.get(id);
      if (!principal) throw notFound('Principal', q.principalId);
      const chains = await scopeChains(db, [scope]);
      const grants = explainAccess(factsOf(id), { scope, scopeChain: chains.get(scope) ?? [], at });
      return { principal, scope, at, grants };
    },
  };
}

export type AccessService = ReturnType<typeof createAccessService>;
