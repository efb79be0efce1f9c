import { describe, expect, it } from 'vitest';
import { roleNames } from './role-names.js';

const helpdesk = '729827e3-9c14-49f7-bb1b-9608f156bbb8';
const custom = {
  id: 'A1B2C3D4-0000-4000-8000-000000000001',
  displayName: 'Tier 0 Operator',
  isBuiltIn: false,
};

describe('roleNames', () => {
  const names = roleNames({ listRoleDefinitions: async () => [custom] });

  it('takes an id, an exact name in any case, or the start of exactly one name', async () => {
    expect(await names.resolve(helpdesk.toUpperCase())).toEqual({
      id: helpdesk,
      displayName: 'Helpdesk Administrator',
    });
    expect(await names.resolve('helpdesk administrator')).toMatchObject({ id: helpdesk });
    expect(await names.resolve('Helpd')).toMatchObject({ id: helpdesk });
    // An exact name wins over the longer names it starts.
    expect(await names.resolve('Global Reader')).toMatchObject({ displayName: 'Global Reader' });
  });

  it('asks the server for custom roles only when the catalogue does not know the name', async () => {
    expect(await names.resolve('tier 0')).toEqual({
      id: custom.id.toLowerCase(),
      displayName: 'Tier 0 Operator',
    });
    expect(await names.name(custom.id)).toBe('Tier 0 Operator');
    expect(await names.name('00000000-0000-4000-8000-00000000000f')).toBe(
      '00000000-0000-4000-8000-00000000000f',
    );
  });

  it('refuses an ambiguous or unknown name as a usage error (exit 2)', async () => {
    await expect(names.resolve('Exchange')).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining('could mean Exchange Administrator, Exchange Recipient Administrator'),
    });
    await expect(names.resolve('Chief Everything Officer')).rejects.toMatchObject({ exitCode: 2 });
  });
});
