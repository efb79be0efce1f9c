import { it } from 'vitest';
import { directoryRoleIds as roles } from '../../src/core/catalog/directory-roles.js';
import { startCliHarness } from './support/cli-harness.js';

it('shows', async () => {
  const h = await startCliHarness();
  const adam = await h.t.givenUser('Adam');
  await h.patchRule(roles.helpdeskAdministrator, {
    '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyEnablementRule',
    id: 'Enablement_EndUser_Assignment',
    enabledRules: ['Justification'],
  });
  const show = async (argv: string[], as = adam) => {
    const r = await h.run(argv, { as });
    console.log(`$ elevate ${argv.join(' ')}  [exit ${r.code}]\n${r.stdout}${r.stderr}`);
  };
  await show(['assign', adam.upn, 'Helpdesk Administrator', '--eligible'], h.t.admin);
  await show(['assign', adam.upn, 'Exchange Administrator', '--eligible', '--duration', 'P90D'], h.t.admin);
  await show(['roles']);
  await show(['activate', 'helpdesk', '--duration', 'PT2H']);
  await show(['activate', 'exchange', '--duration', 'PT9H']);
  await show(['activate', 'helpdesk', '--duration', 'PT2H', '--justification', 'Ticket 42']);
  await show(['roles']);
  await show(['requests']);
  await show(['requests', '--all'], h.t.admin);
  await show(['settings', 'show', 'helpdesk'], h.t.admin);
  await show(
    [
      'settings',
      'set',
      'helpdesk',
      '--max-duration',
      'PT4H',
      '--require-approval',
      'on',
      '--approver',
      'admin@elevate.test',
    ],
    { ...h.t.admin, token: h.t.admin.mfaToken },
  );
  await show(['whoami'], h.t.admin);
  await show(['audit', 'list'], h.t.admin);
  await show(['audit', 'verify'], h.t.admin);
  await h.close();
});
