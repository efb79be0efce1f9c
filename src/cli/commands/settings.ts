import { type Command, InvalidArgumentError } from 'commander';
import type { ElevateClient } from '../../contracts/elevate-client.js';
import type { GraphPolicy } from '../../contracts/graph-types.js';
import {
  type PolicyRules,
  type RulesSummary,
  rulesFromGraph,
  summarizeRules,
  toGraphRule,
} from '../../contracts/policy-rules.js';
import { CliError, usageError } from '../cli-error.js';
import type { CliIo } from '../cli-io.js';
import { formatSections } from '../format/table.js';
import { describeDuration, formatWhen, parseIsoDuration } from '../format/time.js';
import { resolveApprover } from '../principals.js';
import { type RoleRef, roleNames } from '../role-names.js';
import { type CommandContext, commandContext, signedIn } from '../session.js';
import { applySettingChanges, changedRules, type SettingsChanges } from '../settings-changes.js';

interface SetOptions {
  maxDuration?: string;
  requireMfa?: boolean;
  requireJustification?: boolean;
  requireTicket?: boolean;
  requireApproval?: boolean;
  approver?: string[];
  eligibleMax?: string;
  allowPermanentEligible?: boolean;
  activeMax?: string;
  allowPermanentActive?: boolean;
}

const onOff = (value: string): boolean => {
  const v = value.trim().toLowerCase();
  if (['on', 'true', 'yes'].includes(v)) return true;
  if (['off', 'false', 'no'].includes(v)) return false;
  throw new InvalidArgumentError(`expected on or off; got '${value}'`);
};

/** `elevate settings show|set ROLE`: a directory role's settings (its role management policy at `/`). */
export function registerSettings(program: Command, io: CliIo): void {
  const settings = program.command('settings').description("Show or change a directory role's settings");

  settings
    .command('show')
    .description('Show the settings of a role (--json prints its 17 rules)')
    .argument('<role>', 'role name (exact, or the start of one), or role id')
    .action(async (role: string, _opts: object, command: Command) => {
      const ctx = commandContext(io, command);
      const { client } = await signedIn(ctx);
      const target = await roleNames(client).resolve(role);
      const { policy, rules } = await loadPolicy(client, target);
      if (ctx.json) {
        ctx.printJson(policy.rules ?? []);
        return;
      }
      await printSettings(ctx, client, target, policy, summarizeRules(rules));
    });

  settings
    .command('set')
    .description('Change settings of a role: one PATCH per changed rule')
    .argument('<role>', 'role name (exact, or the start of one), or role id')
    .option('--max-duration <iso>', 'activation maximum duration (PT8H)')
    .option('--require-mfa <on|off>', 'require MFA on activation', onOff)
    .option('--require-justification <on|off>', 'require a justification on activation', onOff)
    .option('--require-ticket <on|off>', 'require ticket information on activation', onOff)
    .option('--require-approval <on|off>', 'require approval to activate', onOff)
    .option('--approver <upn-or-id...>', 'the approvers: users (UPN or id) or groups (id); replaces the list')
    .option('--eligible-max <iso>', 'eligible assignments expire after at most (P365D)')
    .option('--allow-permanent-eligible <on|off>', 'allow permanent eligible assignments', onOff)
    .option('--active-max <iso>', 'active assignments expire after at most (P180D)')
    .option('--allow-permanent-active <on|off>', 'allow permanent active assignments', onOff)
    .action(async (role: string, opts: SetOptions, command: Command) => {
      const ctx = commandContext(io, command);
      const duration = (value: string | undefined, option: string) =>
        value === undefined ? undefined : parseIsoDuration(value, option);
      const durations = {
        maxDuration: duration(opts.maxDuration, '--max-duration'),
        eligibleMax: duration(opts.eligibleMax, '--eligible-max'),
        activeMax: duration(opts.activeMax, '--active-max'),
      };
      const flags = {
        requireMfa: opts.requireMfa,
        requireJustification: opts.requireJustification,
        requireTicket: opts.requireTicket,
        requireApproval: opts.requireApproval,
        allowPermanentEligible: opts.allowPermanentEligible,
        allowPermanentActive: opts.allowPermanentActive,
      };
      if (
        [...Object.values(durations), ...Object.values(flags), opts.approver].every((v) => v === undefined)
      ) {
        throw usageError("name at least one setting to change (see 'elevate settings set --help')");
      }
      const { client } = await signedIn(ctx);
      const target = await roleNames(client).resolve(role);
      const approvers =
        opts.approver && (await Promise.all(opts.approver.map((a) => resolveApprover(client, a))));
      const { policy, rules } = await loadPolicy(client, target);
      const changes: SettingsChanges = {
        ...durations,
        ...flags,
        ...(approvers ? { approvers } : {}),
      };
      const changed = changedRules(rules, applySettingChanges(rules, changes));
      for (const rule of changed) await client.updatePolicyRule(policy.id, toGraphRule(rule));
      const after = await loadPolicy(client, target);
      if (ctx.json) {
        ctx.printJson({ updated: changed.map((r) => r.id), rules: after.policy.rules ?? [] });
        return;
      }
      ctx.print(
        changed.length === 0
          ? 'Nothing to change: the settings already say so.'
          : `Updated ${changed.map((r) => r.id).join(', ')}.`,
      );
      ctx.print('');
      await printSettings(ctx, client, target, after.policy, summarizeRules(after.rules));
    });
}

/** The role's policy at `/` with its 17 rules, found through its policy assignment. */
async function loadPolicy(
  client: ElevateClient,
  role: RoleRef,
): Promise<{ policy: GraphPolicy; rules: PolicyRules }> {
  const assignment = await client.findPolicyAssignment(role.id, '/');
  if (!assignment)
    throw new CliError(`No role settings found for ${role.displayName} (${role.id}) at scope '/'.`);
  const policy = await client.getPolicy(assignment.policyId);
  return { policy, rules: rulesFromGraph(policy.rules ?? []) };
}

const yesNo = (b: boolean) => (b ? 'yes' : 'no');
const maxText = (iso: string) => `${describeDuration(iso)} (${iso})`;

async function printSettings(
  ctx: CommandContext,
  client: ElevateClient,
  role: RoleRef,
  policy: GraphPolicy,
  s: RulesSummary,
): Promise<void> {
  const approvers = await Promise.all(
    s.approvers.map(async (a) => {
      if (a.kind === 'groupMembers') {
        const g = await client.getGroup(a.id).catch(() => undefined);
        return `group ${g?.displayName ?? a.description ?? a.id}`;
      }
      const u = await client.getUser(a.id).catch(() => undefined);
      return u?.userPrincipalName ?? a.description ?? a.id;
    }),
  );
  const expiry = (allowPermanent: boolean, max: string) =>
    allowPermanent
      ? `permanent allowed; time-bound up to ${maxText(max)}`
      : `must end within ${maxText(max)}`;
  ctx.print(`${role.displayName} — settings at scope ${policy.scopeId} (policy ${policy.id})`);
  ctx.print(
    formatSections([
      [
        'Activation',
        [
          ['Maximum duration', maxText(s.activationMaximum)],
          ['Require MFA', yesNo(s.requireMfa)],
          ['Require justification', yesNo(s.requireJustification)],
          ['Require ticket', yesNo(s.requireTicket)],
          ['Authentication context', s.requireAuthenticationContext ? (s.claimValue ?? 'yes') : 'no'],
          ['Require approval', yesNo(s.requireApproval)],
          [
            'Approvers',
            approvers.length
              ? approvers.join(', ')
              : 'Privileged Role Administrators and Global Administrators',
          ],
        ],
      ],
      [
        'Assignment',
        [
          ['Eligible', expiry(s.allowPermanentEligible, s.eligibleMaximum)],
          ['Active', expiry(s.allowPermanentActive, s.activeMaximum)],
          ['Require MFA on active', yesNo(s.requireMfaOnActiveAssignment)],
          ['Require justification on active', yesNo(s.requireJustificationOnActiveAssignment)],
        ],
      ],
    ]),
  );
  if (policy.lastModifiedDateTime) {
    const by = policy.lastModifiedBy?.displayName ? ` by ${policy.lastModifiedBy.displayName}` : '';
    ctx.print(`Last changed ${formatWhen(new Date(policy.lastModifiedDateTime), ctx.now())}${by}`);
  }
}
