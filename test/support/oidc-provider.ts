import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration } from 'oidc-provider';

/** One account of the test identity provider: its `sub` and the claims it releases (email, name, …). */
export interface IdpAccount {
  readonly sub: string;
  readonly claims: Readonly<Record<string, unknown>>;
}

/** How the next person "signs in" at the provider: which account, and what the ID token says about it. */
export interface IdpLogin {
  readonly sub: string;
  /** RFC 8176 methods (`['pwd', 'mfa']`); none when absent. */
  readonly amr?: string[];
  /** The authentication context class the login satisfied; none when absent. */
  readonly acr?: string;
}

export interface TestIdentityProvider {
  /** `http://127.0.0.1:<port>`: the issuer. */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The redirect URI registered for Elevate's client (the host is not resolved: tests hand it to inject). */
  readonly redirectUri: string;
  /** Accounts by `sub`; add or change them in a test. */
  readonly accounts: Map<string, IdpAccount>;
  /** The login the interaction completes next, and every authorization request the provider received. */
  nextLogin: IdpLogin;
  readonly authorizationRequests: URL[];
  /**
   * Plays the browser from an authorization URL: the provider's login (completed with `nextLogin`, no form)
   * and consent (pre-granted), with cookies kept, until the provider redirects to Elevate; answers that URL.
   */
  authorize(authorizationUrl: string): Promise<URL>;
  /** Stops answering (the provider is down); `start()` again on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
}

const supportedAcrs = ['c1', 'c2', 'urn:elevate:test:loa2'];

/**
 * A real OpenID provider (npm `oidc-provider`) on 127.0.0.1 in this process, with one confidential client for
 * Elevate. The login interaction completes programmatically with `nextLogin` (its `amr` and `acr` go into the
 * ID token, `auth_time` is the login's time); consent is granted for the requested scopes.
 */
export async function startTestIdentityProvider(
  options: { redirectUri?: string } = {},
): Promise<TestIdentityProvider> {
  const clientId = 'elevate-tests';
  const clientSecret = 'idp-client-secret-0123456789abcdefghijklmnopqrstuvwxyz';
  const redirectUri = options.redirectUri ?? 'http://elevate.test/api/auth/oidc/callback';
  const accounts = new Map<string, IdpAccount>();
  const authorizationRequests: URL[] = [];

  let server: Server | undefined;
  let port = 0;
  // The issuer must be known before the provider exists: bind a port first, then build on it.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const issuer = `http://127.0.0.1:${port}`;

  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    acrValues: supportedAcrs,
    claims: {
      // Released with every ID token, as providers that report them do.
      openid: ['sub', 'acr', 'amr', 'auth_time'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name', 'preferred_username'],
    },
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    async findAccount(_ctx, sub) {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: () => ({ sub, ...account.claims }) };
    },
    // A first-party client: consent is granted for whatever it asks, without a screen.
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId: ctx.oidc.session!.accountId!,
      });
      grant.addOIDCScope(String(ctx.oidc.params!.scope ?? 'openid'));
      await grant.save();
      return grant;
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['test-cookie-key-0123456789'] },
    ttl: {
      Session: 3600,
      Interaction: 600,
      Grant: 3600,
      AccessToken: 600,
      AuthorizationCode: 60,
      IdToken: 600,
    },
  };
  const provider = new Provider(issuer, configuration);
  // The provider's own log of refused requests is noise in test output.
  provider.on('server_error', () => {});
  const callback = provider.callback();

  const idp: TestIdentityProvider = {
    issuer,
    clientId,
    clientSecret,
    redirectUri,
    accounts,
    nextLogin: { sub: 'nobody' },
    authorizationRequests,
    async authorize(authorizationUrl) {
      authorizationRequests.push(new URL(authorizationUrl));
      const jar = new Map<string, string>();
      let url = new URL(authorizationUrl);
      for (let hop = 0; hop < 10; hop++) {
        if (!url.href.startsWith(issuer)) return url;
        const res = await fetch(url, {
          redirect: 'manual',
          headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
        });
        for (const line of res.headers.getSetCookie()) {
          const [pair] = line.split(';');
          const eq = pair!.indexOf('=');
          jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
        }
        const location = res.headers.get('location');
        if (!location) throw new Error(`the provider answered ${res.status}: ${await res.text()}`);
        url = new URL(location, url);
      }
      throw new Error('too many redirects at the provider');
    },
    async stop() {
      const s = server;
      server = undefined;
      if (!s) return;
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    async start() {
      if (server) return;
      const s = createServer(async (req, res) => {
        const match = /^\/interaction\/([^/?]+)/.exec(req.url ?? '');
        if (!match) return callback(req, res);
        try {
          const details = await provider.interactionDetails(req, res);
          if (details.prompt.name !== 'login') throw new Error(`unexpected prompt ${details.prompt.name}`);
          const login = idp.nextLogin;
          await provider.interactionFinished(
            req,
            res,
            {
              login: {
                accountId: login.sub,
                ...(login.amr ? { amr: login.amr } : {}),
                ...(login.acr ? { acr: login.acr } : {}),
                remember: false,
              },
            },
            { mergeWithLastSubmission: false },
          );
        } catch (error) {
          res.statusCode = 500;
          res.end(String(error));
        }
      });
      await new Promise<void>((resolve) => s.listen(port, '127.0.0.1', resolve));
      server = s;
    },
  };
  await idp.start();
  return idp;
}
