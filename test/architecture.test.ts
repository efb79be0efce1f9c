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

describe('the portal (web/)', () => {
  const importsWithSideEffects = (file: string): string[] =>
    [
      ...readFileSync(file, 'utf8').matchAll(
        /(?:^|\n)\s*(?:import|export)(?:[^'"]*?\sfrom)?\s*['"]([^'"]+)['"]/g,
      ),
    ].map((m) => m[1]!);
  const resolveTs = (from: string, spec: string): string => {
    const path = join(from, '..', spec).replace(/\.js$/, '.ts');
    return /\.tsx?$/.test(path) ? path : `${path}.ts`;
  };
  const contractsEntry = join(root, 'src/contracts/browser.ts');

  it('imports packages, its own files and src/contracts/browser.ts only', () => {
    const webFiles = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) return webFiles(path);
        return /\.tsx?$/.test(path) ? [path] : [];
      });
    const offences = webFiles(join(root, 'web/src')).flatMap((file) =>
      importsWithSideEffects(file)
        .filter((spec) => {
          if (spec.startsWith('node:')) return true;
          if (!spec.startsWith('.')) return false;
          const target = join(file, '..', spec);
          return !target.startsWith(join(root, 'web/src')) && resolveTs(file, spec) !== contractsEntry;
        })
        .map((spec) => `${relative(root, file)} imports ${spec}`),
    );
    expect(offences).toEqual([]);
  });

  it('reaches, through src/contracts/browser.ts, no node: module, no server package and no server folder', () => {
    const seen = new Set<string>();
    const offences: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const spec of importsWithSideEffects(file)) {
        if (spec.startsWith('.')) {
          const target = resolveTs(file, spec);
          if (/\/src\/(app|db|http|workers|cli|config|connectors)\//.test(target)) {
            offences.push(`${relative(root, file)} imports ${spec}`);
          } else visit(target);
        } else if (spec !== 'zod') offences.push(`${relative(root, file)} imports ${spec}`);
      }
    };
    visit(contractsEntry);
    expect(offences).toEqual([]);
    expect(seen.size).toBeGreaterThan(3);
  });
});
