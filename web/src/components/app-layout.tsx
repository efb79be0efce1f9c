import { AppShell, Burger, Button, Group, NavLink, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link, Outlet, useRouterState } from '@tanstack/react-router';
import type { GraphUser } from '../../../src/contracts/browser';
import { useSessionApi } from '../session';

/** The pages a signed-in person can open; only pages that work are listed. */
const pages = [{ to: '/my-roles', label: 'My roles' }] as const;

/** The frame around every signed-in page: header with the person and sign-out, navigation, content. */
export function AppLayout() {
  const { session, signOut } = useSessionApi();
  // Between signing out and the router reaching /sign-in there is no session: show nothing meanwhile.
  return session ? <SignedInShell user={session.user} signOut={signOut} /> : null;
}

function SignedInShell(props: { user: GraphUser; signOut(): void }) {
  const { user, signOut } = props;
  const [opened, { toggle, close }] = useDisclosure(false);
  const pathname = useRouterState({ select: (s) => s.location.pathname });

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
        {pages.map((page) => (
          <NavLink
            key={page.to}
            label={page.label}
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
