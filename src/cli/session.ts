import type { Command } from 'commander';
import { createElevateClient, type ElevateClient } from '../contracts/elevate-client.js';
import { signedOutError, usageError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import { readCredentials } from './credentials.js';
import { formatInstant } from './format/time.js';

const defaultServer = 'http://127.0.0.1:8080';

/** One command's run: its output channels, the global options and the time. */
export interface CommandContext {
  readonly io: CliIo;
  /** `--json`: print JSON (ISO times) instead of text. */
  readonly json: boolean;
  /** `--server`, when given. */
  readonly serverOption: string | undefined;
  now(): Date;
  /** A line (or lines) to stdout. */
  print(text: string): void;
  printJson(value: unknown): void;
  /** A line to stderr that is not an error (progress, where a file went). */
  note(text: string): void;
}

/** The context of the command being run, with the program's global options. */
export function commandContext(io: CliIo, command: Command): CommandContext {
  const globals = command.optsWithGlobals<{ json?: boolean; server?: string }>();
  return {
    io,
    json: globals.json === true,
    serverOption: globals.server,
    now: io.now ?? (() => new Date()),
    print: (text) => io.stdout.write(`${text}\n`),
    printJson: (value) => io.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    note: (text) => io.stderr.write(`${text}\n`),
  };
}

/** `http://host:port` without a trailing slash; a usage error when it is not an http(s) URL. */
function normaliseServer(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw usageError(`'${url}' is not a server URL; use e.g. http://127.0.0.1:8080`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw usageError(`'${url}' is not a server URL; it must start with http:// or https://`);
  }
  return parsed.href.replace(/\/+$/, '');
}

/** The server to talk to: --server, then ELEVATE_SERVER, then the signed-in server, then the default. */
export function chooseServer(ctx: CommandContext, stored?: string): string {
  return normaliseServer(ctx.serverOption ?? (ctx.io.env.ELEVATE_SERVER || stored || defaultServer));
}

/** A client without a token, for signing in. */
export function anonymousClient(ctx: CommandContext, server: string): ElevateClient {
  return createElevateClient({ baseUrl: server, ...(ctx.io.fetch ? { fetch: ctx.io.fetch } : {}) });
}

export interface Session {
  readonly client: ElevateClient;
  readonly server: string;
  /** Where the token came from. */
  readonly source: 'environment' | 'login';
  readonly username: string | undefined;
  readonly expiresAt: string | undefined;
}

/**
 * A client with the caller's token: ELEVATE_TOKEN when set, else what `elevate login` stored for this
 * server. A stored token is sent only to the server it was issued by, and not after it expired.
 */
export async function signedIn(ctx: CommandContext): Promise<Session> {
  const envToken = ctx.io.env.ELEVATE_TOKEN;
  const stored = envToken ? undefined : await readCredentials(ctx.io.env);
  const server = chooseServer(ctx, stored?.server);
  const client = (token: string) =>
    createElevateClient({ baseUrl: server, token, ...(ctx.io.fetch ? { fetch: ctx.io.fetch } : {}) });
  if (envToken) {
    return {
      client: client(envToken),
      server,
      source: 'environment',
      username: undefined,
      expiresAt: undefined,
    };
  }
  if (!stored) throw signedOutError(`Not signed in; run 'elevate login' (or set ELEVATE_TOKEN).`);
  if (normaliseServer(stored.server) !== server) {
    throw signedOutError(
      `Not signed in to ${server} (the saved sign-in is for ${stored.server}); run 'elevate login --server ${server}'.`,
    );
  }
  const expires = new Date(stored.expiresAt);
  if (!(expires.getTime() > ctx.now().getTime())) {
    throw signedOutError(
      `The sign-in of ${stored.username} to ${server} expired at ${formatInstant(expires)}; run 'elevate login'.`,
    );
  }
  return {
    client: client(stored.token),
    server,
    source: 'login',
    username: stored.username,
    expiresAt: stored.expiresAt,
  };
}
