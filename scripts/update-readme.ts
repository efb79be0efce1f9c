// Regenerates the parts of README.md that come from code (the configuration table): `npm run docs`.
import { readFileSync, writeFileSync } from 'node:fs';
import { configurationMarkdown } from '../src/config/config.js';

const path = new URL('../README.md', import.meta.url);
const readme = readFileSync(path, 'utf8');
const next = readme.replace(
  /<!-- config:start -->[\s\S]*<!-- config:end -->/,
  `<!-- config:start -->\n${configurationMarkdown()}\n<!-- config:end -->`,
);
writeFileSync(path, next);
process.stdout.write(next === readme ? 'README.md is up to date\n' : 'README.md updated\n');
