import { requiredArg, type AuditCommand } from '../commands/command.js';

export const accessLogCommand: AuditCommand = {
  name: 'access-log',
  summary: 'who read what about a child, when, for which purpose and on what basis',
  usage: '<child ref>',
  async run(context, input) {
    const log = await context.reads.accessLog(await context.caller(), requiredArg(input, 0, 'ref'));
    const lines = log.entries.map(
      (e) =>
        `${e.at} ${e.viewer.sub} (${e.viewer.role}, ${e.viewer.organisation}) ${e.service}:${e.view} for ${e.purpose}: ${e.shown.length} records`,
    );
    return { json: log, text: [...lines, `${log.entries.length} reads of child ${log.childId}`].join('\n') };
  },
};
