import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** An exclusive claim on a data directory, held from `acquireLockFile` until `release`. */
export interface LockFile {
  readonly path: string;
  release(): Promise<void>;
}

interface Owner {
  pid: number;
  startedAt: string;
  bootId?: string;
}

const LOCK_FILE_NAME = 'elevate.lock';
/** A lock file still empty after this long was left by a process that died while writing it. */
const EMPTY_LOCK_GRACE_MS = 10_000;
/** Lock files held by this process (absolute paths): PGlite loses data when one directory is opened twice. */
const heldHere = new Set<string>();

/**
 * Claims `<dataDir>/elevate.lock` (created exclusively, holding pid and start time). Refuses while another
 * live process, or this one, holds it; takes over a lock whose process is gone. PGlite has no protection
 * of its own: two processes on one directory silently lose data.
 */
export async function acquireLockFile(dataDir: string): Promise<LockFile> {
  await mkdir(dataDir, { recursive: true });
  const path = resolve(join(dataDir, LOCK_FILE_NAME));
  const owner: Owner = { pid: process.pid, startedAt: new Date().toISOString(), bootId: await readBootId() };
  const content = `${JSON.stringify(owner)}\n`;

  // Two attempts: the second follows the removal of a stale lock. Two processes taking over the same stale
  // lock at the same instant could both succeed; a start-up that precise is not worth a platform lock.
  for (let attempt = 0; attempt < 2; attempt++) {
    if (await tryCreate(path, content)) {
      heldHere.add(path);
      let released = false;
      return {
        path,
        release: async () => {
          if (released) return;
          released = true;
          await release(path, content);
        },
      };
    }
    const current = await readOwner(path);
    if (current === 'missing') continue;
    if (current === 'unreadable') {
      if (await isRecent(path)) throw inUse(dataDir, undefined);
    } else if (heldHere.has(path) || isAlive(current, owner.bootId)) {
      throw inUse(dataDir, current);
    }
    await rm(path, { force: true });
  }
  throw new Error(`Could not create the lock file ${path}: another process keeps replacing it.`);
}

async function tryCreate(path: string, content: string): Promise<boolean> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
  return true;
}

async function release(path: string, content: string): Promise<void> {
  heldHere.delete(path);
  // Remove only our own claim: if it was taken over meanwhile, the file is someone else's now.
  const current = await readFile(path, 'utf8').catch(() => undefined);
  if (current === content) await rm(path, { force: true });
}

async function readOwner(path: string): Promise<Owner | 'missing' | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      'pid' in parsed &&
      Number.isInteger(parsed.pid) &&
      (parsed.pid as number) > 0
    ) {
      const record = parsed as Partial<Owner> & { pid: number };
      return {
        pid: record.pid,
        startedAt: typeof record.startedAt === 'string' ? record.startedAt : 'at an unknown time',
        ...(typeof record.bootId === 'string' ? { bootId: record.bootId } : {}),
      };
    }
  } catch {
    // fall through: a half-written or foreign file
  }
  return 'unreadable';
}

function isAlive(owner: Owner, currentBootId: string | undefined): boolean {
  // Written before the last reboot: its pid may now belong to anything.
  if (owner.bootId && currentBootId && owner.bootId !== currentBootId) return false;
  // Our own pid but not held here: left by an earlier run that had the same pid (pid 1 in a container).
  if (owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function isRecent(path: string): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  return info !== undefined && Date.now() - info.mtimeMs < EMPTY_LOCK_GRACE_MS;
}

async function readBootId(): Promise<string | undefined> {
  const text = await readFile('/proc/sys/kernel/random/boot_id', 'utf8').catch(() => undefined);
  return text?.trim() || undefined;
}

function inUse(dataDir: string, owner: Owner | undefined): Error {
  const who = owner ? `process ${owner.pid} (started ${owner.startedAt})` : 'another process';
  return new Error(
    `The data directory ${dataDir} is in use by ${who}. Stop it or set ELEVATE_DATA_DIR to another directory.`,
  );
}
