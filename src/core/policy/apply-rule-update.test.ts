import { describe, expect, it } from 'vitest';
import type { ExpirationRule, PolicyRule } from '../model/policy.js';
import { applyRuleUpdate } from './apply-rule-update.js';
import { defaultDirectoryRoleRules } from './default-rules.js';

describe('applyRuleUpdate', () => {
  const rules = defaultDirectoryRoleRules();

  it('given a valid activation maximum, when applied, then only that rule changes and before/after are returned', () => {
    const update: ExpirationRule = { ...rules.Expiration_EndUser_Assignment, maximumDuration: 'PT1H45M' };
    const outcome = applyRuleUpdate(rules, update);
    if (!('rules' in outcome)) throw new Error(outcome.errors.join('\n'));
    expect(outcome.before).toBe(rules.Expiration_EndUser_Assignment);
    expect(outcome.after).toBe(update);
    expect(outcome.rules).toEqual({ ...rules, Expiration_EndUser_Assignment: update });
    expect(rules.Expiration_EndUser_Assignment.maximumDuration).toBe('PT8H');
  });

  it('given an invalid rule, when applied, then nothing changes and the problems are listed', () => {
    const update: ExpirationRule = { ...rules.Expiration_EndUser_Assignment, maximumDuration: 'P2D' };
    expect(applyRuleUpdate(rules, update)).toEqual({
      errors: [
        'Expiration_EndUser_Assignment.maximumDuration must be between 30 minutes and 24 hours (PT30M–PT24H); got P2D',
      ],
    });
  });

  it('given an id that is none of the 17, when applied, then it is refused', () => {
    const update = {
      ...rules.Expiration_EndUser_Assignment,
      id: 'Expiration_Everyone',
    } as unknown as PolicyRule;
    const outcome = applyRuleUpdate(rules, update);
    expect('errors' in outcome && outcome.errors[0]).toMatch(/^'Expiration_Everyone' is not a rule/);
  });

  it('given a type that does not match the id, when applied, then it is refused', () => {
    const update = {
      ...rules.Enablement_Admin_Assignment,
      id: 'Notification_Admin_Admin_Assignment',
    } as PolicyRule;
    expect(applyRuleUpdate(rules, update)).toEqual({
      errors: ['Notification_Admin_Admin_Assignment is a notification rule; got an enablement rule'],
    });
  });
});
