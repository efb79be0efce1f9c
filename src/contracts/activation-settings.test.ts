import { describe, expect, it } from 'vitest';
import { activationSettingsFrom } from './activation-settings.js';

const rule = (id: string, fields: Record<string, unknown>) => ({
  '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyRule',
  id,
  ...fields,
});

describe('activationSettingsFrom', () => {
  it('reads the maximum, the enabled rules, approval and the authentication context', () => {
    const settings = activationSettingsFrom([
      rule('Expiration_EndUser_Assignment', { isExpirationRequired: true, maximumDuration: 'PT2H' }),
      rule('Enablement_EndUser_Assignment', {
        enabledRules: ['Justification', 'Ticketing', 'MultiFactorAuthentication'],
      }),
      rule('Approval_EndUser_Assignment', {
        setting: { isApprovalRequired: true, approvalStages: [{ isApproverJustificationRequired: true }] },
      }),
      rule('AuthenticationContext_EndUser_Assignment', { isEnabled: true, claimValue: 'c1' }),
      rule('Expiration_Admin_Eligibility', { maximumDuration: 'P365D' }),
    ]);
    expect(settings).toEqual({
      maximumDuration: 'PT2H',
      requiresJustification: true,
      requiresTicket: true,
      requiresMfa: true,
      requiresApproval: true,
      authenticationContext: 'c1',
      approverJustificationRequired: true,
    });
  });

  it('asks for nothing the rules do not name, with Entra’s 8-hour default maximum', () => {
    expect(
      activationSettingsFrom([
        rule('enablement_enduser_assignment', { enabledRules: ['Justification'] }),
        rule('AuthenticationContext_EndUser_Assignment', { isEnabled: false, claimValue: 'c1' }),
      ]),
    ).toEqual({
      maximumDuration: 'PT8H',
      requiresJustification: true,
      requiresTicket: false,
      requiresMfa: false,
      requiresApproval: false,
      authenticationContext: null,
      approverJustificationRequired: false,
    });
  });
});
