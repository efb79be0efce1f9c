import type { PolicyRule, PolicyRuleId, PolicyRules } from '../core/model/policy.js';
import { policyRuleIds } from '../core/model/policy.js';
import { parseGraphRule } from '../http/graph/shapes/policy-shapes.js';
import type { GraphPolicyRule } from './graph-types.js';

/**
 * Role settings for clients: the server's own mapping between a rule in Graph's spelling and the model, and
 * the portal's summary of the 17 rules, so a client reads and writes rules exactly as the server does.
 */
export type {
  ApproverSubject,
  PolicyRule,
  PolicyRuleId,
  PolicyRules,
} from '../core/model/policy.js';
export { policyRuleIds } from '../core/model/policy.js';
export { type RulesSummary, summarizeRules } from '../core/policy/describe-rules.js';
export { toGraphRule } from '../http/graph/shapes/policy-shapes.js';

/** The 17 rules of a policy read from Graph's spelling; throws naming every rule that is missing or unreadable. */
export function rulesFromGraph(rules: readonly GraphPolicyRule[]): PolicyRules {
  const byId = new Map<PolicyRuleId, PolicyRule>();
  const problems: string[] = [];
  for (const rule of rules) {
    const parsed = parseGraphRule(rule, rule.id);
    if ('errors' in parsed) problems.push(...parsed.errors.map((e) => `${rule.id}: ${e}`));
    else byId.set(parsed.rule.id, parsed.rule);
  }
  const missing = policyRuleIds.filter((id) => !byId.has(id));
  if (missing.length > 0) problems.push(`missing rules: ${missing.join(', ')}`);
  if (problems.length > 0) throw new Error(`The policy's rules could not be read: ${problems.join('; ')}`);
  return Object.fromEntries(byId) as unknown as PolicyRules;
}
