import { useQuery } from '@tanstack/react-query';
import { isApiError } from '../../../src/contracts/browser';
import { useSession } from '../session';

type Client = ReturnType<typeof useSession>['client'];

/** What the signed-in person may do on the admin pages (read PIM; change assignments); asked once a session. */
export const adminAccessQuery = (client: Client, userId: string) => ({
  queryKey: ['admin-access', userId] as const,
  queryFn: () => client.adminAccess(),
  staleTime: Number.POSITIVE_INFINITY,
});

export function useAdminAccess() {
  const { client, user } = useSession();
  return useQuery(adminAccessQuery(client, user.id));
}

/** Whether a failed admin call was refused for want of a role (the page then says which roles). */
export const isForbidden = (error: unknown): boolean => isApiError(error) && error.status === 403;

export const readerRoles =
  'Global Administrator, Privileged Role Administrator, Global Reader, Security Reader or Security Administrator';
export const managerRoles = 'Privileged Role Administrator or Global Administrator';
