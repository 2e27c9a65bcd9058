import { AUDIT_ROLES } from '@jigsaw/sharing';
import {
  flag,
  requiredArg,
  stringOption,
  usageError,
  type AuditCommand,
  type CommandInput,
} from '../commands/command.js';
import type { CompareReport, RebuildReport, SwapReport } from './read-model-rebuilds.js';

/** What `rebuild` did for one owner's models: rebuilt, and compared and swapped when asked. */
interface RebuildPart {
  rebuild: RebuildReport;
  compare?: CompareReport;
  /** Null when a swap was asked for and refused, the rebuild differing from live. */
  swap?: SwapReport | null;
}

const n = (value: number): string => value.toLocaleString('en-GB');

function batchSize(input: CommandInput): number | undefined {
  const given = stringOption(input, 'batch-size');
  if (given === undefined) return undefined;
  const size = Number(given);
  if (!Number.isInteger(size) || size < 1 || size > 100_000) {
    throw usageError('batch-size', 'must be a whole number from 1 to 100000');
  }
  return size;
}

function rebuildText(report: RebuildReport): string {
  const caughtUp = report.caughtUp > 0 ? `, then ${n(report.caughtUp)} more by key` : '';
  return `rebuilt ${report.models.join(', ')} into ${report.schema}: read ${n(report.events)} events in order and applied ${n(report.applied)}${caughtUp}, in ${(report.elapsedMs / 1000).toFixed(1)}s (${n(report.perSecond)} events/s)`;
}

export function compareText(report: CompareReport): string {
  const lines = [`compared ${report.schema} with ${report.liveSchema} (${report.models.join(', ')})`];
  for (const t of report.tables) {
    lines.push(
      `  ${t.table}: ${n(t.liveRows)} live rows, ${n(t.rebuiltRows)} rebuilt rows, ${n(t.differences)} differences`,
    );
  }
  if (report.caughtUp > 0)
    lines.push(`  caught up ${n(report.caughtUp)} events the live view applied since the replay`);
  if (report.aheadOfLive > 0)
    lines.push(`  the rebuild has applied ${n(report.aheadOfLive)} events the live view has not`);
  for (const s of report.structure) lines.push(`  structure: ${s}`);
  for (const d of report.differences) {
    const key = Object.entries(d.key)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    lines.push(`  ${d.table} ${key}: ${d.kind}${d.columns?.length ? ` (${d.columns.join(', ')})` : ''}`);
  }
  lines.push(
    clean(report)
      ? 'no differences'
      : `${n(report.differences.length + report.structure.length)} differences`,
  );
  return lines.join('\n');
}

const clean = (report: CompareReport): boolean =>
  report.differences.length === 0 && report.structure.length === 0 && report.aheadOfLive === 0;

function swapText(report: SwapReport): string {
  return [
    `swapped ${report.tables.join(', ')} from ${report.schema} into ${report.liveSchema} (attempt ${report.attempts}, live consumer held ${report.lockedMs} ms, ${n(report.caughtUp)} events caught up)`,
    `the tables they replaced are in ${report.retiredSchema}; \`npm run audit -- drop ${report.retiredSchema}\` removes them`,
    report.rebuildSchemaDropped
      ? `dropped ${report.schema}`
      : `kept ${report.schema}: something still depends on it`,
  ].join('\n');
}

export const readModelsCommand: AuditCommand = {
  name: 'read-models',
  summary: 'list the read models that can be rebuilt, with their live schemas, tables and keys',
  usage: '',
  http: { roles: AUDIT_ROLES },
  run(context) {
    const models = context.rebuilds.readModels.map(({ model, liveSchema }) => ({
      name: model.name,
      liveSchema,
      tables: model.tables.map((t) => ({ name: t.name, key: [...t.key], ignore: [...(t.ignore ?? [])] })),
    }));
    return Promise.resolve({
      json: { models },
      text: models
        .map(
          (m) =>
            `${m.name} (in ${m.liveSchema}): ${m.tables.map((t) => `${t.name} by ${t.key.join(', ')}`).join('; ')}`,
        )
        .join('\n'),
    });
  },
};

export const rebuildCommand: AuditCommand = {
  name: 'rebuild',
  summary: 'replay the event history into a fresh schema; optionally compare it with live and swap it in',
  usage: '[model...]',
  options: {
    into: { type: 'string', description: 'the schema to build (default <live>_rebuild_<timestamp>)' },
    'batch-size': { type: 'string', description: 'events per transaction (default 5000)' },
    compare: { type: 'boolean', description: 'compare with the live schema afterwards' },
    swap: { type: 'boolean', description: 'compare, then swap in if there are no differences' },
    force: { type: 'boolean', description: 'with --swap: swap in even if the rebuild differs from live' },
  },
  async run(context, input) {
    const into = stringOption(input, 'into');
    const size = batchSize(input);
    // Each owner's models are rebuilt into a schema of their own, as their owner: one part each.
    const parts: RebuildPart[] = [];
    const text: string[] = [];
    let exitCode = 0;
    for (const plan of context.rebuilds.plan(input.args, into)) {
      const progress = context.progress(`rebuild ${plan.rebuilds.liveSchema}`);
      let report: RebuildReport;
      try {
        // The plan names the owner: its rebuilds build, compare and swap, with no look-up by schema.
        report = await plan.rebuilds.rebuild({
          models: plan.models,
          ...(into ? { into } : {}),
          ...(size ? { batchSize: size } : {}),
          onProgress: (p) => progress.update(p),
        });
      } finally {
        progress.done();
      }
      text.push(rebuildText(report));
      if (!flag(input, 'compare') && !flag(input, 'swap')) {
        parts.push({ rebuild: report });
        continue;
      }
      const compare = await plan.rebuilds.compare(report.schema);
      text.push(compareText(compare));
      if (!flag(input, 'swap')) {
        parts.push({ rebuild: report, compare });
        if (!clean(compare)) exitCode = 1;
        continue;
      }
      if (!clean(compare) && !flag(input, 'force')) {
        text.push('not swapped: the rebuild differs from live (pass --force to swap it in anyway)');
        parts.push({ rebuild: report, compare, swap: null });
        exitCode = 1;
        continue;
      }
      const swap = await plan.rebuilds.swap(report.schema);
      text.push(swapText(swap));
      parts.push({ rebuild: report, compare, swap });
    }
    return { json: { rebuilds: parts }, text: text.join('\n'), exitCode };
  },
};

export const compareCommand: AuditCommand = {
  name: 'compare',
  summary: 'compare a rebuilt schema with the live one, row by row by key; exit 1 on any difference',
  usage: '<schema> [model...]',
  async run(context, input) {
    const report = await context.rebuilds.compare(requiredArg(input, 0, 'schema'), {
      models: input.args.slice(1),
    });
    return { json: report, text: compareText(report), exitCode: clean(report) ? 0 : 1 };
  },
};

export const swapCommand: AuditCommand = {
  name: 'swap',
  summary:
    "swap a rebuilt schema's tables in for the live ones, without stopping the service that keeps them",
  usage: '<schema>',
  options: { force: { type: 'boolean', description: 'swap in even if the rebuild differs from live' } },
  async run(context, input) {
    const schema = requiredArg(input, 0, 'schema');
    const compare = await context.rebuilds.compare(schema);
    if (!clean(compare) && !flag(input, 'force')) {
      return {
        json: { compare, swap: null },
        text: `${compareText(compare)}\nnot swapped: the rebuild differs from live (pass --force to swap it in anyway)`,
        exitCode: 1,
      };
    }
    const swap = await context.rebuilds.swap(schema);
    return { json: { compare, swap }, text: `${compareText(compare)}\n${swapText(swap)}` };
  },
};

export const rebuildsCommand: AuditCommand = {
  name: 'rebuilds',
  summary: 'list rebuilds: their schemas, what they rebuilt, whether they were swapped in',
  usage: '',
  http: { roles: AUDIT_ROLES },
  async run(context) {
    const rebuilds = await context.rebuilds.list();
    return {
      json: rebuilds,
      text:
        rebuilds
          .map(
            (r) =>
              `${r.schema}${r.schemaExists ? '' : ' (dropped)'}: ${r.models.join(', ')}, started ${r.startedAt}` +
              (r.finishedAt ? `, ${n(r.eventsRead ?? 0)} events read` : ', unfinished') +
              (r.swappedAt
                ? `, swapped in ${r.swappedAt}; replaced tables in ${r.retiredSchema}${r.retiredSchemaExists ? '' : ' (dropped)'}`
                : ''),
          )
          .join('\n') || 'no rebuilds',
    };
  },
};

export const dropCommand: AuditCommand = {
  name: 'drop',
  summary: 'drop a rebuild schema or the retired tables of a swap',
  usage: '<schema>',
  async run(context, input) {
    const result = await context.rebuilds.drop(requiredArg(input, 0, 'schema'));
    return {
      json: result,
      text: result.dropped
        ? `dropped ${result.schema}`
        : `kept ${result.schema}: something still depends on it`,
    };
  },
};
