import type { AuditWriter } from './audit/audit-writer.js';
import type { AuthService } from './auth/auth-service.js';
import type { UserService } from './directory/user-service.js';
import type { Clock } from './ports/clock.js';
import type { IdGenerator } from './ports/ids.js';

/** Everything the adapters (HTTP, CLI, workers) may call; built by compose.ts. */
export interface Services {
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly tenantId: string;
  readonly audit: AuditWriter;
  readonly health: { check(): Promise<void> };
  readonly auth: AuthService;
  readonly users: UserService;
}
