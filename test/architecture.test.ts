import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

const importsOf = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g)].map(
    (m) => m[1]!,
  );

/** Who may import whom (ARCHITECTURE.md): each folder lists the folders and packages it must never import. */
const rules: { folder: string; forbidden: RegExp; why: string }[] = [
  {
    folder: 'src/core',
    forbidden:
      /^(node:|fs$|pg$|kysely|fastify|@electric-sql|pino|jose|@node-rs|zod$)|\/(app|db|http|workers|cli|config|connectors)\//,
    why: 'the core is pure: no I/O, no other layer',
  },
  {
    folder: 'src/app',
    forbidden: /\/(http|workers|cli|connectors)\/|^fastify/,
    why: 'use cases know no adapter',
  },
  {
    folder: 'src/db',
    forbidden: /\/(http|workers|cli|connectors)\/|\/app\/(?!context\.js)/,
    why: 'storage knows no use case',
  },
  {
    folder: 'src/http',
    forbidden: /\/db\/|\/workers\/|\/connectors\//,
    why: 'HTTP calls use cases, never storage',
  },
];

describe('layering', () => {
  for (const rule of rules) {
    it(`${rule.folder}: ${rule.why}`, () => {
      const offences = sourceFiles(join(root, rule.folder)).flatMap((file) =>
        importsOf(file)
          .filter((spec) => rule.forbidden.test(spec))
          .map((spec) => `${relative(root, file)} imports ${spec}`),
      );
      expect(offences).toEqual([]);
    });
  }

  it('reads the system clock and makes random values only in compose.ts', () => {
    const offences = ['src/core', 'src/app'].flatMap((folder) =>
      sourceFiles(join(root, folder)).filter((file) =>
        /Date\.now\(\)|new Date\(\)|Math\.random\(/.test(readFileSync(file, 'utf8')),
      ),
    );
    expect(offences.map((f) => relative(root, f))).toEqual([]);
  });
});
