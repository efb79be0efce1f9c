// queries.jsonl of the shared benchmark (../shared/bench/README.md), in columns.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SharedQueries {
  readonly count: number;
  readonly principalId: string[];
  /** The asked action, or null for a role check. */
  readonly permission: (string | null)[];
  readonly roleDefinitionId: (string | null)[];
  readonly scope: string[];
  /** Epoch ms. */
  readonly time: Float64Array;
  readonly expected: Uint8Array;
  readonly category: string[];
}

/** Reads up to `limit` queries of a generated tenant directory. */
export function readSharedQueries(dir: string, limit = Number.POSITIVE_INFINITY): SharedQueries {
  const lines = readFileSync(join(dir, 'queries.jsonl'), 'utf8').split('\n');
  const n = Math.min(limit, lines.filter((l) => l.length > 0).length);
  const q: SharedQueries = {
    count: n,
    principalId: [],
    permission: [],
    roleDefinitionId: [],
    scope: [],
    time: new Float64Array(n),
    expected: new Uint8Array(n),
    category: [],
  };
  let i = 0;
  for (const line of lines) {
    if (i >= n) break;
    if (line.length === 0) continue;
    const r = JSON.parse(line) as {
      principalId: string;
      permission?: string;
      roleDefinitionId?: string;
      scope: string;
      time: string;
      expected: boolean;
      category: string;
    };
    q.principalId.push(r.principalId);
    q.permission.push(r.permission ?? null);
    q.roleDefinitionId.push(r.roleDefinitionId ?? null);
    q.scope.push(r.scope);
    q.time[i] = Date.parse(r.time);
    q.expected[i] = r.expected ? 1 : 0;
    q.category.push(r.category);
    i++;
  }
  return q;
}
