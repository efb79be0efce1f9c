import type { QueryClient } from '@tanstack/react-query';
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  Outlet,
  redirect,
} from '@tanstack/react-router';
import { AppLayout } from './components/app-layout';
import { adminAccessQuery } from './lib/admin-access';
import { assignmentsSearch } from './lib/admin-search';
import { auditSearchParams } from './lib/audit-search';
import { type StatusFilter, statusFilters } from './lib/request-rows';
import { roleSettingsSearch } from './lib/settings-target';
import { ApprovalsPage, approvalFilters } from './pages/approvals-page';
import { AuthenticatorPage } from './pages/authenticator-page';
import { MyRequestsPage, myRequestFilters } from './pages/my-requests-page';
import { MyRolesPage } from './pages/my-roles-page';
import { NotFoundPage } from './pages/not-found-page';
import { SignInPage } from './pages/sign-in-page';
import type { Session } from './session';

export interface RouterContext {
  readonly session: Session | null;
  readonly queryClient: QueryClient;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Outlet,
  notFoundComponent: NotFoundPage,
});

const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/sign-in',
  validateSearch: (search: Record<string, unknown>): { redirect?: string; error?: string } => ({
    ...(typeof search.redirect === 'string' && search.redirect.startsWith('/')
      ? { redirect: search.redirect }
      : {}),
    // Why a single sign-on failed, as the server's callback reports it.
    ...(typeof search.error === 'string' ? { error: search.error.slice(0, 500) } : {}),
  }),
  component: SignInPage,
});

/** Every page behind sign-in; without a session the person is sent to sign in, and back here after. */
const signedInRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'signed-in',
  beforeLoad: ({ context, location }) => {
    if (!context.session) {
      throw redirect({ to: '/sign-in', search: location.href === '/' ? {} : { redirect: location.href } });
    }
  },
  component: AppLayout,
});

const indexRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/',
  // Administrators (readers of PIM) land on their dashboard; everyone else on My roles.
  beforeLoad: async ({ context }) => {
    const s = context.session;
    const access = s
      ? await context.queryClient.ensureQueryData(adminAccessQuery(s.client, s.user.id)).catch(() => null)
      : null;
    throw redirect({ to: access?.canRead ? '/dashboard' : '/my-roles' });
  },
});

const myRolesRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/my-roles',
  component: MyRolesPage,
});

/** `?status=…` of a request list: one of the page's filters; absent (the page's default) otherwise. */
const statusSearch =
  (allowed: readonly StatusFilter[]) =>
  (search: Record<string, unknown>): { status?: StatusFilter } => {
    const s = search.status;
    return typeof s === 'string' && s in statusFilters && allowed.includes(s as StatusFilter)
      ? { status: s as StatusFilter }
      : {};
  };

const myRequestsRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/my-requests',
  validateSearch: statusSearch(myRequestFilters),
  component: MyRequestsPage,
});

const approvalsRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/approvals',
  validateSearch: statusSearch(approvalFilters),
  component: ApprovalsPage,
});

const authenticatorRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/authenticator',
  component: AuthenticatorPage,
});

/** Administrators' pages, loaded when first opened: most people never need their code. */
const roleSettingsRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/role-settings',
  validateSearch: roleSettingsSearch,
  component: lazyRouteComponent(() => import('./pages/role-settings-page'), 'RoleSettingsPage'),
});

const auditRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/audit',
  validateSearch: auditSearchParams,
  component: lazyRouteComponent(() => import('./pages/audit-page'), 'AuditPage'),
});

const dashboardRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/dashboard',
  component: lazyRouteComponent(() => import('./pages/dashboard-page'), 'DashboardPage'),
});

const assignmentsRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/assignments',
  validateSearch: assignmentsSearch,
  component: lazyRouteComponent(() => import('./pages/assignments-page'), 'AssignmentsPage'),
});

const routeTree = rootRoute.addChildren([
  signInRoute,
  signedInRoute.addChildren([
    indexRoute,
    myRolesRoute,
    myRequestsRoute,
    approvalsRoute,
    authenticatorRoute,
    roleSettingsRoute,
    auditRoute,
    dashboardRoute,
    assignmentsRoute,
  ]),
]);

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { session: null, queryClient },
    defaultPreload: false,
    scrollRestoration: true,
  });
}

export type AppRouter = ReturnType<typeof createAppRouter>;

declare module '@tanstack/react-router' {
  interface Register {
    router: AppRouter;
  }
}
