import { describe, expect, it } from 'vitest';
import { directoryRoleIds, directoryRoles, findDirectoryRole } from './directory-roles.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// Namespace segments may be camelCase (microsoft.office365.protectionCenter, microsoft.cloudPC).
const ACTION = /^microsoft(\.[A-Za-z0-9]+)*\/[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

const byName = (displayName: string) => {
  const found = directoryRoles.find((r) => r.displayName === displayName);
  if (!found) throw new Error(`missing role ${displayName}`);
  return found;
};

// Template ids as listed on Microsoft's "Microsoft Entra built-in roles" reference page.
const requiredRoles: Record<string, string> = {
  'Global Administrator': '62e90394-69f5-4237-9190-012177145e10',
  'Privileged Role Administrator': 'e8611ab8-c189-46e8-94e1-60213ab1f814',
  'Security Administrator': '194ae4cb-b126-40b2-bd5b-6091b380977d',
  'Security Reader': '5d6b6bb7-de71-4623-b4af-96380a352509',
  'Global Reader': 'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
  'User Administrator': 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  'Groups Administrator': 'fdd7a751-b60b-444a-984c-02652fe8fa1c',
  'Helpdesk Administrator': '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  'Password Administrator': '966707d0-3269-4727-9be2-8c3a10f19b9d',
  'Authentication Administrator': 'c4e39bd9-1100-46d3-8c65-fb160da0071f',
  'Privileged Authentication Administrator': '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
  'Exchange Administrator': '29232cdf-9323-42fd-ade2-1d097af3e4de',
  'SharePoint Administrator': 'f28a1f50-f6e7-4571-818b-6a12f2af6b6c',
  'Teams Administrator': '69091246-20e8-4a56-aa4d-066075b2a7a8',
  'Intune Administrator': '3a2c62db-5318-420d-8d74-23affee5d9d5',
  'Application Administrator': '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3',
  'Cloud Application Administrator': '158c047a-c907-4556-b7ef-446551a6b5f7',
  'Conditional Access Administrator': 'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9',
  'Billing Administrator': 'b0f54661-2d74-4c50-afa3-1ec803f12efe',
  'License Administrator': '4d6ac14f-3453-41d0-bef9-a3e0c569773a',
  'Directory Readers': '88d8e3e3-8f55-4a1e-953a-9b9898b8876b',
  'Directory Writers': '9360feb5-f418-4baa-8175-e2a00bac4301',
  'Reports Reader': '4a5d8f65-41da-4de4-8968-e035b65339cf',
  'Security Operator': '5f2222b1-57c3-48ba-8ad5-d4759f1fde6f',
  'Compliance Administrator': '17315797-102d-40b4-93e0-432062caca18',
  'Attribute Assignment Administrator': '58a13ea3-c632-46ae-9ee0-9c0d43cd7f3d',
  'Attribute Definition Administrator': '8424c6f0-a189-499e-bbd0-26c1753c96d4',
  'Service Support Administrator': 'f023fd81-a637-4b56-95fd-791ac0226033',
  'Message Center Reader': '790c1fb9-7f7d-4f88-86a1-ef1f95c05c1b',
  'Guest Inviter': '95e79109-95c0-4d8e-aee3-d01accf2d47b',
  'Azure DevOps Administrator': 'e3973bdf-4987-49ae-837a-ba8e231c7286',
  'Power Platform Administrator': '11648597-926c-4cf3-9c36-bcebb0ba8dcc',
  'Dynamics 365 Administrator': '44367163-eba1-44c3-98af-f5787879f96a',
  'Windows 365 Administrator': '11451d60-acb2-45eb-a7d6-43d0f0125c13',
  'Cloud Device Administrator': '7698a772-787b-4ac8-901f-60d6b08affd2',
  'Hybrid Identity Administrator': '8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2',
  'External Identity Provider Administrator': 'be2f45a1-457d-42af-a067-6ec1fa63bc45',
  'Domain Name Administrator': '8329153b-31d0-4727-b945-745eb3bc5f31',
  'Identity Governance Administrator': '45d8d3c5-c802-45c6-b32a-1d70b5e1e86e',
  'Knowledge Administrator': 'b5a8dcf3-09d5-43a9-a639-8e29ef291470',
  'Printer Administrator': '644ef478-e28f-4e28-b9dc-3fdde9aa0b1f',
  'Search Administrator': '0964bb5e-9bdb-4d7b-ac29-58e794862a40',
  'Skype for Business Administrator': '75941009-915a-4869-abe7-691bff18279e',
  'User Experience Success Manager': '27460883-1df1-4691-b032-3b79643e5e63',
  'Usage Summary Reports Reader': '75934031-6c7e-415a-99d7-48dbd49e875e',
  'Office Apps Administrator': '2b745bdf-0803-4d80-aa65-822c4493daac',
  'Fabric Administrator': 'a9ea8996-122f-4c74-9520-8edcd192826c',
  'Teams Communications Administrator': 'baf37b3a-610e-45da-9e62-d9d1e5e8914b',
  'Insights Administrator': 'eb1f4a8d-243a-41f0-9fbd-c7cdf6c5ef7c',
  'Global Secure Access Administrator': 'ac434307-12b9-4fa1-a708-88bf58caabc1',
  'Lifecycle Workflows Administrator': '59d46f88-662b-457b-bceb-5c3809e5908f',
};

describe('directoryRoles catalogue', () => {
  it('uses unique lower-case GUID template ids', () => {
    for (const r of directoryRoles) expect(r.id).toMatch(GUID);
    expect(new Set(directoryRoles.map((r) => r.id)).size).toBe(directoryRoles.length);
  });

  it('has unique, non-empty display names and one-sentence descriptions', () => {
    expect(new Set(directoryRoles.map((r) => r.displayName)).size).toBe(directoryRoles.length);
    for (const r of directoryRoles) {
      expect(r.displayName.trim()).not.toBe('');
      expect(r.description.trim()).not.toBe('');
      expect(r.description.length).toBeLessThanOrEqual(140);
    }
  });

  it.each(Object.entries(requiredRoles))('contains %s with its real template id', (name, id) => {
    expect(byName(name).id).toBe(id);
  });

  it('has Global Administrator at its well-known id', () => {
    expect(directoryRoleIds.globalAdministrator).toBe('62e90394-69f5-4237-9190-012177145e10');
    expect(findDirectoryRole('62e90394-69f5-4237-9190-012177145e10')?.displayName).toBe(
      'Global Administrator',
    );
  });

  it('mirrors the PRIVILEGED label Microsoft documents', () => {
    const privileged = [
      'Global Administrator',
      'Privileged Role Administrator',
      'Security Administrator',
      'Security Reader',
      'Security Operator',
      'Global Reader',
      'User Administrator',
      'Helpdesk Administrator',
      'Password Administrator',
      'Authentication Administrator',
      'Privileged Authentication Administrator',
      'Application Administrator',
      'Cloud Application Administrator',
      'Conditional Access Administrator',
      'Intune Administrator',
      'Directory Writers',
      'Cloud Device Administrator',
      'Hybrid Identity Administrator',
      'External Identity Provider Administrator',
      'Domain Name Administrator',
      'Lifecycle Workflows Administrator',
    ];
    const notPrivileged = [
      'Directory Readers',
      'Reports Reader',
      'Exchange Administrator',
      'SharePoint Administrator',
      'Teams Administrator',
      'Groups Administrator',
      'Billing Administrator',
      'License Administrator',
      'Message Center Reader',
    ];
    for (const name of privileged) expect(byName(name).isPrivileged, name).toBe(true);
    for (const name of notPrivileged) expect(byName(name).isPrivileged, name).toBe(false);
  });

  it('lists well-formed, unique resource actions for every role', () => {
    for (const r of directoryRoles) {
      expect(r.allowedResourceActions.length, r.displayName).toBeGreaterThan(0);
      expect(new Set(r.allowedResourceActions).size, r.displayName).toBe(r.allowedResourceActions.length);
      for (const action of r.allowedResourceActions) expect(action, r.displayName).toMatch(ACTION);
    }
  });

  it('gives the key admin roles their defining actions', () => {
    const ga = findDirectoryRole(directoryRoleIds.globalAdministrator)!;
    expect(ga.allowedResourceActions.length).toBeGreaterThan(150);
    expect(ga.allowedResourceActions).toEqual(
      expect.arrayContaining([
        'microsoft.directory/roleAssignments/allProperties/allTasks',
        'microsoft.directory/users/allProperties/allTasks',
        'microsoft.directory/groups/allProperties/allTasks',
        'microsoft.directory/applications/allProperties/allTasks',
        'microsoft.directory/conditionalAccessPolicies/allProperties/allTasks',
        'microsoft.office365.exchange/allEntities/basic/allTasks',
      ]),
    );
    const pra = findDirectoryRole(directoryRoleIds.privilegedRoleAdministrator)!;
    expect(pra.allowedResourceActions).toContain(
      'microsoft.directory/roleAssignments/allProperties/allTasks',
    );
    expect(pra.allowedResourceActions).toContain(
      'microsoft.directory/privilegedIdentityManagement/allProperties/allTasks',
    );
    expect(findDirectoryRole(directoryRoleIds.helpdeskAdministrator)!.allowedResourceActions).toContain(
      'microsoft.directory/users/password/update',
    );
    expect(findDirectoryRole(directoryRoleIds.exchangeAdministrator)!.allowedResourceActions).toContain(
      'microsoft.office365.exchange/allEntities/basic/allTasks',
    );
  });

  it('keeps Global Reader read-only', () => {
    const gr = findDirectoryRole(directoryRoleIds.globalReader)!;
    for (const action of gr.allowedResourceActions) {
      // Service Health "allTasks" and the getAvailableExtentionProperties service action are documented as reads.
      expect(action).toMatch(
        /\/(read|restrictedRead)$|serviceHealth\/allEntities\/allTasks$|getAvailableExtentionProperties$/,
      );
    }
  });

  it('is frozen', () => {
    expect(Object.isFrozen(directoryRoles)).toBe(true);
    expect(Object.isFrozen(directoryRoles[0])).toBe(true);
    expect(Object.isFrozen(directoryRoles[0]!.allowedResourceActions)).toBe(true);
    expect(Object.isFrozen(directoryRoleIds)).toBe(true);
  });
});

describe('directoryRoleIds', () => {
  it('points at catalogued roles whose names match the keys', () => {
    for (const [key, id] of Object.entries(directoryRoleIds)) {
      const r = findDirectoryRole(id);
      expect(r, key).toBeDefined();
      expect(key.toLowerCase()).toBe(r!.displayName.replace(/[^A-Za-z0-9]/g, '').toLowerCase());
    }
  });
});

describe('findDirectoryRole', () => {
  it('finds roles case-insensitively and returns undefined for unknown ids', () => {
    expect(findDirectoryRole('E8611AB8-C189-46E8-94E1-60213AB1F814')?.displayName).toBe(
      'Privileged Role Administrator',
    );
    expect(findDirectoryRole('00000000-0000-0000-0000-000000000000')).toBeUndefined();
    expect(findDirectoryRole('')).toBeUndefined();
  });
});
