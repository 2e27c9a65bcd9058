import { accessLogCommand } from '../access-log/access-log.command.js';
import { asKnownAtCommand } from '../as-known-at/as-known-at.command.js';
import {
  compareCommand,
  dropCommand,
  readModelsCommand,
  rebuildCommand,
  rebuildsCommand,
  swapCommand,
} from '../rebuild/rebuild.commands.js';
import { eraseCommand, verifyCommand } from '../integrity/integrity.commands.js';
import { subjectAccessExportCommand } from '../subject-access/subject-access.command.js';
import type { AuditCommand } from './command.js';

/** Every audit command: the CLI's and, for those naming roles, the API's at /v1/operations. */
export const AUDIT_COMMANDS: readonly AuditCommand[] = [
  readModelsCommand,
  rebuildCommand,
  compareCommand,
  swapCommand,
  rebuildsCommand,
  dropCommand,
  asKnownAtCommand,
  accessLogCommand,
  subjectAccessExportCommand,
  verifyCommand,
  eraseCommand,
];

export function commandNamed(name: string): AuditCommand | undefined {
  return AUDIT_COMMANDS.find((command) => command.name === name);
}

export * from './command.js';
