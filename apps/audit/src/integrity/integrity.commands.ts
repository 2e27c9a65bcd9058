import { sealIntegrity, verifyIntegrity } from '@jigsaw/event-store';
import { forgetChild, StoredLinks } from '@jigsaw/identity';
import { requiredArg, stringOption, usageError, type AuditCommand } from '../commands/command.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * `audit verify`: walks every stream's hash chain and the latest seal, and names each event altered,
 * removed, reordered or inserted. A store that verifies is then sealed, so a later cut below today's
 * heads is found even if the streams' own rows go with it.
 */
export const verifyCommand: AuditCommand = {
  name: 'verify',
  summary: 'check the event store has not been altered, and seal its stream heads when it has not',
  usage: '',
  http: { roles: ['auditor', 'data-protection-officer', 'review-panel'] },
  async run(context) {
    const report = await verifyIntegrity(context.pool);
    const seal = report.ok ? await sealIntegrity(context.pool) : undefined;
    const lines = report.problems.map(
      (p) =>
        `${p.kind.toUpperCase()} ${p.streamId}${p.position === undefined ? '' : `@${p.position}`}: ${p.detail}`,
    );
    if (report.problemsOmitted) lines.push(`... and ${report.problemsOmitted} more`);
    lines.push(
      `${report.ok ? 'intact' : 'TAMPERED'}: ${report.eventsChecked} events in ${report.streamsChecked} streams checked, ${report.problems.length + (report.problemsOmitted ?? 0)} problems`,
    );
    if (seal) lines.push(`sealed: ${JSON.stringify(seal)}`);
    return {
      json: { ...report, ...(seal ? { sealed: seal } : {}) },
      text: lines.join('\n'),
      exitCode: report.ok ? 0 : 1,
    };
  },
};

/**
 * `audit erase <hub child id> --reason "..."`: destroys the child's data keys (and those of every record
 * linked to the same child), so their personal data is unreadable everywhere at once, and records
 * hub.child-erased for the read models, and unlinks their identifiers. A data protection officer's decision.
 */
export const eraseCommand: AuditCommand = {
  name: 'erase',
  summary: "erase a child's personal data by destroying their keys; the audit skeleton stays",
  usage: '<hub child id> --reason <decision reference, no personal data>',
  options: { reason: { type: 'string', description: 'why, e.g. the retention decision reference' } },
  http: { roles: ['data-protection-officer'] },
  async run(context, input) {
    const childId = requiredArg(input, 0, 'childId');
    if (!UUID.test(childId)) throw usageError('childId', 'must be a hub child id (a UUID)');
    const reason = stringOption(input, 'reason');
    if (!reason) throw usageError('reason', 'is required');
    const caller = await context.caller();
    if (caller.role !== 'data-protection-officer') {
      throw usageError('role', 'erasure is a data protection officer’s decision');
    }
    const members = await new StoredLinks(context.pool).membersOf(childId);
    const actor = { userId: caller.sub, role: caller.role, organisation: caller.organisation };
    const erasures = [];
    for (const member of members) {
      const erasure = await context.vault.eraseChild(member, actor, reason);
      // Its identifiers then find nobody: a number must not tie the remaining skeleton back to the child.
      erasures.push({ ...erasure, identifiersRemoved: await forgetChild(context.pool, member) });
    }
    return {
      json: { erasures },
      text: erasures
        .map(
          (e) =>
            `${e.childId}: keys ${e.keyGenerations.join(', ')} destroyed${e.recorded ? '' : ' (already)'}`,
        )
        .join('\n'),
    };
  },
};
