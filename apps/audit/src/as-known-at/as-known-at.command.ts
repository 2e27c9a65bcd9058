import { requiredArg, stringOption, type AuditCommand } from '../commands/command.js';

export const asKnownAtCommand: AuditCommand = {
  name: 'as-known-at',
  summary: 'what a viewer could see about a child at a moment, from the history recorded by then',
  usage: '<child ref>',
  options: {
    viewer: { type: 'string', description: 'the organisation, urn:jigsaw:org:<agency>:<code>' },
    role: { type: 'string', description: "the viewer's role, e.g. designated-safeguarding-lead" },
    purpose: { type: 'string', description: 'the purpose they read for, e.g. safeguarding' },
    at: { type: 'string', description: 'the moment, ISO 8601 with an offset' },
  },
  async run(context, input) {
    const ref = requiredArg(input, 0, 'ref');
    const query = Object.fromEntries(
      ['viewer', 'role', 'purpose', 'at'].map((name) => [name, stringOption(input, name)]),
    );
    const answer = await context.reads.asKnownAt(await context.caller(), ref, query);
    const lines = [
      `${answer.viewer.role} at ${answer.viewer.organisation}, reading for ${answer.viewer.purpose}, as known at ${answer.at}:`,
      ...answer.entries.map(
        (e) => `  shown     ${e.occurredAt} ${e.type} from ${e.source} (${e.level}, ${e.reason})`,
      ),
      ...answer.withheld.map((w) => `  withheld  ${w.recordedAt} ${w.type} from ${w.source} (${w.reason})`),
      `${answer.entries.length} shown, ${answer.withheld.length} withheld, ${answer.recordedLater} recorded later`,
    ];
    return { json: answer, text: lines.join('\n') };
  },
};
