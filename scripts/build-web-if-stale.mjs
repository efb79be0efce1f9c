// Builds the portal (`npm run build:web`) when dist/web is missing or older than its sources, so `npm start`
// on a fresh clone serves the portal without a separate step, and a second start costs nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const built = join(root, 'dist/web/index.html');
const sources = ['web', 'src/contracts', 'src/core', 'package-lock.json'].map((p) => join(root, p));

/** The newest modification time under `path` (a file or a folder). */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

const builtAt = existsSync(built) ? statSync(built).mtimeMs : 0;
if (builtAt > 0 && sources.every((p) => newest(p) <= builtAt)) process.exit(0);

console.log(
  builtAt ? 'The portal sources changed: building it again…' : 'Building the portal (first start)…',
);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const result = spawnSync(npm, ['run', '--silent', 'build:web'], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
