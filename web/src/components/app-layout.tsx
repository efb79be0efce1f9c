import { AppShell, Badge, Burger, Button, Group, NavLink, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { Link, Outlet, useRouterState } from '@tanstack/react-router';
import type { ElevateClient, GraphUser } from '../../../src/contracts/browser';
import { adminAccessQuery } from '../lib/admin-access';
import { type Session, useSessionApi } from '../session';

/** The pages a signed-in person can open; only pages that work are listed. */
const pages = [
  { to: '/dashboard', label: 'Dashboard' },
  { to: '/my-roles', label: 'My roles' },
  { to: '/my-requests', label: 'My requests' },
  { to: '/approvals', label: 'Approve requests' },
  { to: '/assignments', label: 'Assignments' },
  { to: '/role-settings', label: 'Role settings' },
  { to: '/audit', label: 'Audit' },
  { to: '/authenticator', label: 'Authenticator' },
] as const;

/** Pages only readers of PIM can use: listed once `/api/v1/admin/me` says the person is one. */
const readerPages: ReadonlySet<string> = new Set(['/dashboard', '/assignments']);

/** How many requests wait for my decision, roles and groups together (`$count` of the approver lists). */
async function pendingApprovals(client: ElevateClient): Promise<number> {
  const asked = { on: 'approver', filter: "status eq 'PendingApproval'", top: 1, count: true } as const;
  const [roles, groups] = await Promise.all([
    client.pageScheduleRequests('assignment', asked),
    client.pageGroupScheduleRequests('assignment', asked),
  ]);
  return (roles.count ?? roles.items.length) + (groups.count ?? groups.items.length);
}

/** The frame around every signed-in page: header with the person and sign-out, navigation, content. */
export function AppLayout() {
  const { session, signOut } = useSessionApi();
  // Between signing out and the router reaching /sign-in there is no session: show nothing meanwhile.
  return session ? <SignedInShell session={session} signOut={signOut} /> : null;
}

function SignedInShell(props: { session: Session; signOut(): void }) {
  const { signOut } = props;
  const user: GraphUser = props.session.user;
  const [opened, { toggle, close }] = useDisclosure(false);
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const admin = useQuery(adminAccessQuery(props.session.client, user.id));
  const shown = pages.filter((p) => !readerPages.has(p.to) || admin.data?.canRead);
  const pending = useQuery({
    queryKey: ['approvals-pending', user.id],
    queryFn: () => pendingApprovals(props.session.client),
    refetchInterval: 60_000,
  });

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="lg"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={opened ? 'Close navigation' : 'Open navigation'}
            />
            <Text component="span" fw={700} size="xl">
              Elevate
            </Text>
          </Group>
          <Group gap="md" wrap="nowrap">
            <Text size="sm" visibleFrom="xs" title={user.userPrincipalName}>
              {user.displayName}
            </Text>
            <Button variant="default" size="xs" onClick={() => signOut()}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="xs" aria-label="Main">
        {shown.map((page) => (
          <NavLink
            key={page.to}
            label={page.label}
            rightSection={
              page.to === '/approvals' && pending.data ? (
                <Badge size="sm" circle aria-label={`${pending.data} waiting`}>
                  {pending.data}
                </Badge>
              ) : undefined
            }
            active={pathname === page.to}
            aria-current={pathname === page.to ? 'page' : undefined}
            onClick={close}
            renderRoot={(props) => <Link to={page.to} {...props} />}
          />
        ))}
      </AppShell.Navbar>

      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
