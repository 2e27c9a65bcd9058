import { requiredArg, stringOption, usageError, type AuditCommand } from '../commands/command.js';
import { renderSubjectAccessHtml } from './subject-access.html.js';

export const subjectAccessExportCommand: AuditCommand = {
  name: 'subject-access-export',
  summary: 'everything held about a child, what was shared with whom and why, and who read it',
  usage: '<child ref>',
  options: { format: { type: 'string', description: 'json (default) or html: a self-contained document' } },
  async run(context, input) {
    const ref = requiredArg(input, 0, 'ref');
    const format = stringOption(input, 'format') ?? 'json';
    if (format !== 'json' && format !== 'html') throw usageError('format', 'must be json or html');
    const sar = await context.reads.subjectAccessExport(await context.caller(), ref);
    return {
      json: sar,
      text: format === 'html' ? renderSubjectAccessHtml(sar) : JSON.stringify(sar, null, 2),
    };
  },
};
