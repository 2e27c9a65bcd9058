import 'reflect-metadata';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { Logger, type LoggerService } from '@nestjs/common';
import { TokenVerifier } from '@jigsaw/auth';
import { loadConfig } from '@jigsaw/config';
import {
  createPool,
  ensureOwnerRolesAt,
  OWNER_ROLES,
  requireMigrationsApplied,
  runMigrations,
} from '@jigsaw/database';
import { JigsawError } from '@jigsaw/errors';
import { AuditConfig } from './app.module.js';
import { AUDIT_SERVICE_MIGRATIONS, createAudit } from './audit.js';
import { auditCallerOf, type AuditCaller } from './auth/audit-caller.js';
import {
  AUDIT_COMMANDS,
  commandNamed,
  usageError,
  type AuditCommand,
  type CommandInput,
} from './commands/index.js';
import { progressTo } from './rebuild/progress.js';
import { RebuildPools } from './rebuild/rebuild-pools.js';

/** 0 done; 1 done, and found something wrong (differences); 2 refused or bad input; 3 failed. */
const EXIT = { ok: 0, found: 1, refused: 2, failed: 3 } as const;

const GLOBAL_OPTIONS = {
  json: { type: 'boolean', description: 'print the result as JSON' },
  token: { type: 'string', description: 'an auditor bearer token for reads (or JIGSAW_TOKEN)' },
  help: { type: 'boolean', description: "show this command's options" },
} as const;

function optionsHelp(options: AuditCommand['options'] = {}): string[] {
  const rows = Object.entries({ ...options, ...GLOBAL_OPTIONS }).map(
    ([name, o]) => [`--${name}${o.type === 'string' ? ' <value>' : ''}`, o.description] as const,
  );
  const width = Math.max(...rows.map(([flag]) => flag.length));
  return rows.map(([flag, description]) => `    ${flag.padEnd(width)}  ${description}`);
}

function help(command?: AuditCommand): string {
  if (command) {
    return [
      `npm run audit -- ${command.name} ${command.usage}`.trimEnd(),
      `  ${command.summary}`,
      '  options:',
      ...optionsHelp(command.options),
    ].join('\n');
  }
  const width = Math.max(...AUDIT_COMMANDS.map((c) => c.name.length));
  return [
    'npm run audit -- <command> [arguments] [options]',
    '',
    ...AUDIT_COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    '`npm run audit -- <command> --help` shows its arguments and options. Reads need --token (or JIGSAW_TOKEN):',
    "an auditing role's token from `npm run token`, and are recorded in the child's access log like any read.",
  ].join('\n');
}

function parse(
  command: AuditCommand,
  argv: readonly string[],
): { input: CommandInput; json: boolean; token?: string; help: boolean } {
  const options = Object.fromEntries(
    Object.entries({ ...command.options, ...GLOBAL_OPTIONS }).map(([name, o]) => [
      name,
      { type: o.type, ...('multiple' in o && o.multiple ? { multiple: true } : {}) },
    ]),
  ) as NonNullable<ParseArgsConfig['options']>;
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageError('arguments', (error as Error).message);
  }
  const {
    json,
    token,
    help: wantsHelp,
    ...rest
  } = parsed.values as Record<string, string | boolean | string[] | undefined>;
  return {
    input: { args: parsed.positionals, options: rest },
    json: json === true,
    ...(typeof token === 'string' ? { token } : {}),
    help: wantsHelp === true,
  };
}

function report(error: unknown): number {
  if (error instanceof JigsawError) {
    process.stderr.write(`error: ${error.message}\n`);
    for (const problem of error.problems) process.stderr.write(`  ${problem.field}: ${problem.reason}\n`);
    return EXIT.refused;
  }
  process.stderr.write(`error: ${(error as Error)?.message ?? String(error)}\n`);
  return EXIT.failed;
}

/** Stdout carries the result (JSON, HTML): anything the libraries log goes to stderr. */
const toStderr =
  (level: string) =>
  (message: unknown): void => {
    process.stderr.write(`${level}: ${String(message)}\n`);
  };
const STDERR_LOGGER: LoggerService = {
  log: toStderr('info'),
  warn: toStderr('warning'),
  error: toStderr('error'),
};

async function main(argv: readonly string[]): Promise<number> {
  Logger.overrideLogger(STDERR_LOGGER);
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(`${help(name === 'help' && rest[0] ? commandNamed(rest[0]) : undefined)}\n`);
    return EXIT.ok;
  }
  const command = commandNamed(name);
  if (!command) {
    process.stderr.write(`unknown command: ${name}\n\n${help()}\n`);
    return EXIT.refused;
  }
  const { input, json, token, help: wantsHelp } = parse(command, rest);
  if (wantsHelp) {
    process.stdout.write(`${help(command)}\n`);
    return EXIT.ok;
  }
  const config = loadConfig(AuditConfig);
  // As the service does at start: apply the migrations, or with a login of its own only check them.
  const apply = config.DATABASE_MIGRATIONS === 'apply';
  if (apply) await ensureOwnerRolesAt(config.DATABASE_URL);
  const pool = createPool(config.DATABASE_URL, { name: 'audit-cli', max: 4, role: OWNER_ROLES.audit });
  const rebuildPools = new RebuildPools(config.DATABASE_URL, 'audit-cli-rebuild');
  try {
    if (apply) await runMigrations(pool, AUDIT_SERVICE_MIGRATIONS);
    else await requireMigrationsApplied(pool, AUDIT_SERVICE_MIGRATIONS);
    const audit = createAudit(
      pool,
      config.IDENTIFIER_HMAC_SECRET,
      config.ENCRYPTION_MASTER_KEY,
      config.KAFKA_TOPIC_PREFIX,
      rebuildPools,
    );
    let caller: Promise<AuditCaller> | undefined;
    const signIn = async (): Promise<AuditCaller> => {
      const bearer = token ?? process.env['JIGSAW_TOKEN'];
      if (!bearer)
        throw usageError(
          'token',
          "is required for reads: an auditing role's token (--token or JIGSAW_TOKEN)",
        );
      return auditCallerOf(await new TokenVerifier(config).verify(bearer));
    };
    const output = await command.run(
      {
        pool,
        store: audit.store,
        rebuilds: audit.rebuilds,
        reads: audit.reads,
        vault: audit.vault,
        caller: () => (caller ??= signIn()),
        progress: (label) => progressTo(process.stderr, label),
      },
      input,
    );
    process.stdout.write(json ? `${JSON.stringify(output.json, null, 2)}\n` : `${output.text}\n`);
    return output.exitCode ?? EXIT.ok;
  } finally {
    await Promise.all([pool.end(), rebuildPools.end()]);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.exitCode = report(error);
  },
);
