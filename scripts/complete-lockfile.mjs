// Completes package-lock.json with the other platforms' optional binaries (Biome, oxc-parser, …).
//
// Why: the npm registry this project's machines reach answers 404 for some platform packages that no
// machine here can run (darwin, win32, musl, …). `npm install` then leaves them out of the lock file, and
// `npm ci` refuses the lock as "not in sync". Each missing optional dependency gets an entry carrying the
// version and the os/cpu/libc it is built for, so `npm ci` sees the lock in sync and skips it on this
// platform. Run `npm run lock:complete` after any `npm install`; a test checks the lock stays complete.
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages;

const osOf = (name) =>
  ['darwin', 'win32', 'linux', 'android', 'freebsd', 'openharmony', 'netbsd', 'openbsd', 'sunos', 'aix'].find(
    (os) => name.includes(os),
  );
const cpuOf = (name) =>
  ['arm64', 'x64', 'ia32', 'ppc64', 'riscv64', 's390x', 'loong64', 'arm'].find((cpu) =>
    new RegExp(`(^|[-/])${cpu}($|-)`).test(name),
  );
const libcOf = (name) =>
  name.includes('musl') ? 'musl' : name.includes('gnu') && osOf(name) === 'linux' ? 'glibc' : undefined;

/** Missing optional dependencies: [lock key, name, version]. */
export function missingOptionals(lockPackages) {
  const missing = [];
  for (const [key, info] of Object.entries(lockPackages)) {
    for (const [name, range] of Object.entries(info.optionalDependencies ?? {})) {
      const nested = `${key ? `${key}/` : ''}node_modules/${name}`;
      if (lockPackages[nested] || lockPackages[`node_modules/${name}`]) continue;
      missing.push([`node_modules/${name}`, name, range.replace(/^[\^~=]/, '')]);
    }
  }
  return missing;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const missing = missingOptionals(packages);
  for (const [key, name, version] of missing) {
    const os = osOf(name);
    const cpu = cpuOf(name);
    const libc = libcOf(name);
    packages[key] = {
      version,
      cpu: cpu ? [cpu] : undefined,
      license: undefined,
      libc: libc ? [libc] : undefined,
      optional: true,
      os: os ? [os] : undefined,
      engines: undefined,
    };
  }
  const sorted = Object.fromEntries(
    Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
  );
  lock.packages = sorted;
  writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
  process.stdout.write(`package-lock.json: ${missing.length} optional platform packages added\n`);
}
