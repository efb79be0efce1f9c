import type { PolicyRule, PolicyRules } from '../model/policy.js';
import { validateRule } from './validate-rule.js';

export type RuleUpdateOutcome =
  | { readonly rules: PolicyRules; readonly before: PolicyRule; readonly after: PolicyRule }
  | { readonly errors: readonly string[] };

/**
 * Decides a rule update (Graph `PATCH …/rules/{ruleId}`): the rule replaces the one with its id when
 * the id is one of the 17, its type is the id's kind (`Expiration_*` ↔ expiration, …) and it passes
 * `validateRule`, which checks both; otherwise nothing changes and every problem is reported. The
 * policy keeps exactly its 17 rules: they are updated, never added, removed or moved.
 */
export function applyRuleUpdate(rules: PolicyRules, update: PolicyRule): RuleUpdateOutcome {
  const errors = validateRule(update);
  if (errors.length > 0) return { errors };
  const id = update.id;
  const before: PolicyRule = rules[id];
  return { rules: { ...rules, [id]: update }, before, after: update };
}
