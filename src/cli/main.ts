import { runCli } from './run-cli.js';

/** `elevate`: the server and an API client in one command (`tsx src/cli/main.ts …`, `bin/elevate.js`). */
process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
});
