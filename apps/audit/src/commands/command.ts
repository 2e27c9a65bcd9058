import type { Pool } from '@jigsaw/database';
import { ErrorCode, JigsawError, type FieldProblem } from '@jigsaw/errors';
import type { EventStore } from '@jigsaw/event-store';
import type { PersonalDataVault } from '@jigsaw/erasure';
import type { AuditRole } from '@jigsaw/sharing';
import type { AuditReads } from '../audit-reads.js';
import type { AuditCaller } from '../auth/audit-caller.js';
import type { Rebuilds } from '../rebuild/rebuilds.js';
import type { ProgressSink } from '../rebuild/progress.js';

export type OptionValue = string | boolean | string[];

export interface CommandOption {
  type: 'string' | 'boolean';
  /** A string option given more than once collects into a list. */
  multiple?: boolean;
  description: string;
}

export interface CommandInput {
  args: readonly string[];
  options: Readonly<Record<string, OptionValue | undefined>>;
}

export interface CommandOutput {
  /** The result for `--json` and the API. */
  json: unknown;
  /** The result for a person at a terminal. */
  text: string;
  /** Non-zero when the command ran but found something wrong (differences, tampering). */
  exitCode?: number;
}

/** What a command runs against; the CLI and the API each build one. */
export interface CommandContext {
  pool: Pool;
  store: EventStore;
  rebuilds: Rebuilds;
  reads: AuditReads;
  /** Opens and erases personal data. */
  vault: PersonalDataVault;
  /** The signed-in auditor: the API's caller, or the CLI's `--token`. */
  caller(): Promise<AuditCaller>;
  progress(label: string): ProgressSink;
}

/**
 * One entry of the audit command table: `npm run audit -- <name> ...`, and, when `http` names roles,
 * `POST /v1/operations/<name>` with `{ "args": [...], "options": {...} }`.
 */
export interface AuditCommand {
  name: string;
  summary: string;
  /** Positional arguments as shown in help, e.g. `<schema> [model...]`. */
  usage: string;
  options?: Readonly<Record<string, CommandOption>>;
  /** Auditing roles that may run it over HTTP; without it the command is the CLI's only. */
  http?: { roles: readonly AuditRole[] };
  run(context: CommandContext, input: CommandInput): Promise<CommandOutput>;
}

export function usageError(field: string, reason: string): JigsawError {
  return new JigsawError(ErrorCode.ValidationFailed, `invalid input: ${field}`, [{ field, reason }]);
}

export function stringOption(input: CommandInput, name: string): string | undefined {
  const value = input.options[name];
  return typeof value === 'string' ? value : undefined;
}

export function flag(input: CommandInput, name: string): boolean {
  return input.options[name] === true;
}

export function requiredArg(input: CommandInput, index: number, name: string): string {
  const value = input.args[index];
  if (value === undefined || value === '') throw usageError(name, 'is required');
  return value;
}

/** Checks input from outside the CLI's parser (an HTTP body) against a command's declared options. */
export function commandInputOf(command: AuditCommand, body: unknown): CommandInput {
  const problems: FieldProblem[] = [];
  const value = (body ?? {}) as { args?: unknown; options?: unknown };
  if (typeof value !== 'object' || Array.isArray(value)) throw usageError('(body)', 'must be an object');
  const extra = Object.keys(value).filter((key) => key !== 'args' && key !== 'options');
  for (const key of extra) problems.push({ field: key, reason: 'is not allowed' });
  const args = value.args ?? [];
  if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) {
    problems.push({ field: 'args', reason: 'must be an array of strings' });
  }
  const options: Record<string, OptionValue> = {};
  const given = value.options ?? {};
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    problems.push({ field: 'options', reason: 'must be an object' });
  } else {
    for (const [name, option] of Object.entries(given as Record<string, unknown>)) {
      const declared = command.options?.[name];
      const field = `options.${name}`;
      if (!declared) problems.push({ field, reason: 'is not an option of this command' });
      else if (declared.type === 'boolean' && typeof option !== 'boolean') {
        problems.push({ field, reason: 'must be true or false' });
      } else if (
        declared.type === 'string' &&
        !(
          typeof option === 'string' ||
          (declared.multiple && Array.isArray(option) && option.every((o) => typeof o === 'string'))
        )
      ) {
        problems.push({
          field,
          reason: declared.multiple ? 'must be a string or strings' : 'must be a string',
        });
      } else options[name] = option as OptionValue;
    }
  }
  if (problems.length > 0) {
    throw new JigsawError(
      ErrorCode.ValidationFailed,
      `invalid input: ${problems.map((p) => p.field).join(', ')}`,
      problems,
    );
  }
  return { args: args as string[], options };
}
