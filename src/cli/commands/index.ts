import type { Command } from 'commander';
import type { CliIo } from '../cli-io.js';
import { registerAccess } from './access.js';
import { registerActivate } from './activate.js';
import { registerAssign } from './assign.js';
import { registerAudit } from './audit.js';
import { registerDeactivate } from './deactivate.js';
import { registerImport } from './import.js';
import { registerLogin } from './login.js';
import { registerLogout } from './logout.js';
import { registerMfa } from './mfa.js';
import { registerOutbox } from './outbox.js';
import { registerPassword } from './password.js';
import { registerProvisioning } from './provisioning.js';
import { registerRequests } from './requests.js';
import { registerRoles } from './roles.js';
import { registerServe } from './serve.js';
import { registerSettings } from './settings.js';
import { registerUnassign } from './unassign.js';
import { registerWebhooks } from './webhooks.js';
import { registerWhoami } from './whoami.js';

/** Every `elevate` sub-command, in the order `--help` lists them. */
export function registerCommands(program: Command, io: CliIo): void {
  registerServe(program);
  registerLogin(program, io);
  registerLogout(program, io);
  registerWhoami(program, io);
  registerMfa(program, io);
  registerPassword(program, io);
  registerRoles(program, io);
  registerActivate(program, io);
  registerDeactivate(program, io);
  registerRequests(program, io);
  registerAccess(program, io);
  registerAssign(program, io);
  registerUnassign(program, io);
  registerSettings(program, io);
  registerAudit(program, io);
  registerImport(program, io);
  registerProvisioning(program, io);
  registerOutbox(program, io);
  registerWebhooks(program, io);
}
