import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { verifyAuditChain } from '../../app/audit/verify-audit-chain.js';
import { openMigratedDatabase } from '../../compose.js';
import { loadConfig } from '../../config/config.js';
import type { AuditVerification } from '../../contracts/native-schemas.js';
import { CliError } from '../cli-error.js';
import type { CliIo } from '../cli-io.js';

/**
 * `audit verify --offline`: re-hashes the chain straight from the database the server's environment names
 * (ELEVATE_DATABASE_URL, else the PGlite data directory ELEVATE_DATA_DIR), without a server or a sign-in.
 */
export async function verifyOffline(env: CliIo['env']): Promise<AuditVerification> {
  const config = loadConfig(env);
  // Opening an empty directory would create a new, empty database and call it intact.
  if (!config.databaseUrl && !existsSync(join(config.dataDir, 'PG_VERSION'))) {
    throw new CliError(
      `No Elevate database in ${resolve(config.dataDir)}; set ELEVATE_DATA_DIR (or ELEVATE_DATABASE_URL) to the server's.`,
    );
  }
  const database = await openMigratedDatabase(config);
  try {
    return await verifyAuditChain({ db: database.db });
  } finally {
    await database.close();
  }
}
