import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { CliIo } from './cli-io.js';

/** What `elevate login` keeps: never printed, only readable by its owner (mode 0600). */
export interface StoredCredentials {
  readonly server: string;
  readonly token: string;
  /** ISO 8601; the token is not used after it. */
  readonly expiresAt: string;
  readonly username: string;
}

const schema = z.object({
  server: z.string().min(1).max(2048),
  token: z.string().min(1).max(16_384),
  expiresAt: z.string().max(64),
  username: z.string().max(256),
});

/** `$ELEVATE_CONFIG_DIR`, else `~/.config/elevate`. */
function configDir(env: CliIo['env']): string {
  return env.ELEVATE_CONFIG_DIR || join(env.HOME || homedir(), '.config', 'elevate');
}

const credentialsPath = (env: CliIo['env']): string => join(configDir(env), 'credentials.json');

/** The stored credentials, or undefined when there are none (or the file is not ours to read). */
export async function readCredentials(env: CliIo['env']): Promise<StoredCredentials | undefined> {
  let text: string;
  try {
    text = await readFile(credentialsPath(env), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the credentials atomically with mode 0600, in a directory only the owner can enter. */
export async function writeCredentials(env: CliIo['env'], credentials: StoredCredentials): Promise<string> {
  const dir = configDir(env);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = credentialsPath(env);
  const partial = `${path}.${process.pid}.partial`;
  await writeFile(partial, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  await chmod(partial, 0o600);
  await rename(partial, path);
  return path;
}

/** Removes the stored credentials; true when there were some. */
export async function deleteCredentials(env: CliIo['env']): Promise<boolean> {
  const path = credentialsPath(env);
  const existed = (await readCredentials(env)) !== undefined;
  await rm(path, { force: true });
  return existed;
}
