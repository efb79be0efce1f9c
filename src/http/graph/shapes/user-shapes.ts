import { z } from 'zod';
import type { User } from '../../../app/directory/user-service.js';
import { boundedString, graphBody } from '../graph-body.js';

/** Graph's `user` as Elevate serves it. */
export function toGraphUser(u: User) {
  return {
    id: u.id,
    userPrincipalName: u.userPrincipalName,
    displayName: u.displayName,
    mail: u.mail,
    givenName: u.givenName,
    surname: u.surname,
    jobTitle: u.jobTitle,
    accountEnabled: u.accountEnabled,
    createdDateTime: u.createdDateTime.toISOString(),
  };
}

const upn = z
  .string()
  .max(256)
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'must look like alias@domain (e.g. adam@contoso.com)');
const email = z
  .string()
  .max(256)
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'must be an email address');
const password = z.string().min(8, 'must be at least 8 characters').max(256);

export const createUserBody = graphBody({
  accountEnabled: z.boolean(),
  displayName: boundedString(256).min(1),
  mailNickname: boundedString(64).min(1),
  userPrincipalName: upn,
  mail: email.nullable().optional(),
  givenName: boundedString(64).nullable().optional(),
  surname: boundedString(64).nullable().optional(),
  jobTitle: boundedString(128).nullable().optional(),
  passwordProfile: z
    .strictObject({ password, forceChangePasswordNextSignIn: z.boolean().optional() })
    .optional(),
});

export const updateUserBody = graphBody({
  accountEnabled: z.boolean().optional(),
  displayName: boundedString(256).min(1).optional(),
  mailNickname: boundedString(64).min(1).optional(),
  userPrincipalName: upn.optional(),
  mail: email.nullable().optional(),
  givenName: boundedString(64).nullable().optional(),
  surname: boundedString(64).nullable().optional(),
  jobTitle: boundedString(128).nullable().optional(),
  passwordProfile: z
    .strictObject({ password, forceChangePasswordNextSignIn: z.boolean().optional() })
    .optional(),
});

export const userListSpec = {
  fields: {
    id: { type: 'guid' },
    userPrincipalName: { type: 'string' },
    displayName: { type: 'string' },
    mail: { type: 'string' },
    accountEnabled: { type: 'boolean' },
    givenName: { type: 'string' },
    surname: { type: 'string' },
  },
  select: [
    'id',
    'userPrincipalName',
    'displayName',
    'mail',
    'givenName',
    'surname',
    'jobTitle',
    'accountEnabled',
    'createdDateTime',
  ],
} as const;
