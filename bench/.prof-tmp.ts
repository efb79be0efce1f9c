import { createHash } from 'node:crypto';
import { composeServices, openMigratedDatabase } from '../src/compose.js';
import { buildHttpServer } from '../src/http/server.js';
import { benchListEndpoints } from './list-endpoints.js';
const md5 = (s: string) => { const h = createHash('md5').update(s).digest('hex'); return `${h.slice(0,8)}-${h.slice(8,12)}-${h.slice(12,16)}-${h.slice(16,20)}-${h.slice(20)}`; };
const database = await openMigratedDatabase({ dataDir: 'memory://x', databaseUrl: 'postgres://postgres@127.0.0.1:55432/elevate_list_bench' });
const t0 = performance.now();
const services = await composeServices(database);
const app = await buildHttpServer({ services, logger: false });
await app.ready();
console.log('compose+ready s', ((performance.now() - t0) / 1000).toFixed(2));
const admin = await database.db.selectFrom('users').select('id').where('user_principal_name', '=', 'list-bench@elevate.test').executeTakeFirstOrThrow();
const token = (await services.auth.issueToken({ id: admin.id, type: 'user', mfa: true })).accessToken;
const ids = Array.from({ length: 500 }, (_, i) => md5(`bench-user-${i * 201}`));
for (let run = 0; run < 2; run++) console.log(JSON.stringify(await benchListEndpoints({ target: { app }, token, principalIds: ids, targetIds: ids, rounds: 300 })));
const extra: Record<string, string> = {
  firstPage: `/v1.0/roleManagement/directory/roleEligibilityScheduleInstances?$top=100`,
  requestsByPrincipal: `/v1.0/roleManagement/directory/roleAssignmentScheduleRequests?$filter=principalId%20eq%20'${ids[7]}'`,
  byRole: `/v1.0/roleManagement/directory/roleEligibilitySchedules?$filter=roleDefinitionId%20eq%20'${md5('bench-role-4')}'`,
};
for (const [name, url] of Object.entries(extra)) {
  const times: number[] = [];
  for (let i = 0; i < 60; i++) { const a = performance.now(); const r = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } }); if (r.statusCode !== 200) throw new Error(r.body); if (i >= 10) times.push(performance.now() - a); }
  times.sort((a, b) => a - b); console.log(name, 'p50', times[25]!.toFixed(2), 'p99', times[49]!.toFixed(2));
}
await app.close(); await database.close();
