import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { contentHash } from '@jigsaw/envelope';
import { PostgresEventStore } from '@jigsaw/event-store';
import { IdentityCommands, IdentityRegistry, StoredLinks } from '@jigsaw/identity';
import { aNhsNumber, aRecordedEvent, aUpn, createTestDatabase, type TestDatabase } from '@jigsaw/testing';
import { appliedEventsMigrations } from '@jigsaw/projection';
import { viewMigrations } from '@jigsaw/view-model';
import { AUDIT_SERVICE_MIGRATIONS, createAudit, type Audit } from '../audit.js';
import type { AuditCaller } from '../auth/audit-caller.js';
import type { CommandContext, CommandInput } from '../commands/command.js';
import { SILENT } from '../rebuild/progress.js';
import { eraseCommand, verifyCommand } from './integrity.commands.js';

const DPO: AuditCaller = {
  sub: 'dpo-1',
  agency: 'council',
  organisation: 'urn:jigsaw:org:council:leeds',
  role: 'data-protection-officer',
};
const AUDITOR: AuditCaller = { ...DPO, sub: 'auditor-1', role: 'auditor' };

describe('audit verify and audit erase', () => {
  let db: TestDatabase;
  let audit: Audit;
  const context = (caller: AuditCaller): CommandContext => ({
    pool: db.pool,
    store: audit.store,
    rebuilds: audit.rebuilds,
    reads: audit.reads,
    vault: audit.vault,
    caller: () => Promise.resolve(caller),
    progress: () => SILENT,
  });
  const input = (args: string[], options: CommandInput['options'] = {}): CommandInput => ({ args, options });

  beforeAll(async () => {
    db = await createTestDatabase([
      ...AUDIT_SERVICE_MIGRATIONS,
      appliedEventsMigrations('view'),
      viewMigrations('view'),
    ]);
    audit = createAudit(db.pool, 'test-identifier-secret', randomBytes(32).toString('base64'));
  });
  afterAll(async () => db?.drop());

  async function record(childId: string): Promise<void> {
    const events = [aRecordedEvent({ childid: childId }), aRecordedEvent({ childid: childId })];
    await new PostgresEventStore(db.pool).append(
      `police-${childId}`,
      await audit.vault.sealAll(events, childId),
      { expectedVersion: 'any', contentHashes: events.map((e) => contentHash(e)) },
    );
  }

  it('finds an intact store intact and seals it, then names an altered event and fails', async () => {
    const child = randomUUID();
    await record(child);
    const intact = await verifyCommand.run(context(AUDITOR), input([]));
    expect(intact.exitCode).toBe(0);
    expect(intact.json).toMatchObject({ ok: true, eventsChecked: 2, sealed: expect.any(Object) });

    await db.pool.query(
      `UPDATE event_store.events SET payload = jsonb_set(payload, '{type}', '"police.forged"')
       WHERE stream_id = $1 AND stream_position = 2`,
      [`police-${child}`],
    );
    const tampered = await verifyCommand.run(context(AUDITOR), input([]));
    expect(tampered.exitCode).toBe(1);
    expect(tampered.json).toMatchObject({
      ok: false,
      problems: [expect.objectContaining({ streamId: `police-${child}`, position: 2, kind: 'altered' })],
    });
    expect(tampered.text).toContain('TAMPERED');
    // Put it back for the tests that follow.
    await db.pool.query(
      `UPDATE event_store.events SET payload = jsonb_set(payload, '{type}', '"police.domestic-abuse-incident-notified"')
       WHERE stream_id = $1 AND stream_position = 2`,
      [`police-${child}`],
    );
  });

  it('erases only as a data protection officer, with a reason, and destroys the child’s keys', async () => {
    const child = randomUUID();
    await record(child);
    await expect(
      eraseCommand.run(context(AUDITOR), input([child], { reason: 'DPO-1' })),
    ).rejects.toMatchObject({
      problems: [{ field: 'role', reason: expect.stringContaining('data protection officer') }],
    });
    await expect(eraseCommand.run(context(DPO), input([child]))).rejects.toMatchObject({
      problems: [{ field: 'reason', reason: 'is required' }],
    });
    await expect(
      eraseCommand.run(context(DPO), input(['9434765919'], { reason: 'x' })),
    ).rejects.toMatchObject({
      problems: [{ field: 'childId', reason: 'must be a hub child id (a UUID)' }],
    });

    const erased = await eraseCommand.run(
      context(DPO),
      input([child], { reason: 'Retention decision DPO-2026-1' }),
    );
    expect(erased.json).toMatchObject({ erasures: [{ childId: child, recorded: true }] });
    const { rows } = await db.pool.query<{ type: string; actor: string }>(
      `SELECT type, payload->'data'->'record'->'erasedBy'->>'sub' AS actor FROM event_store.events WHERE stream_id = $1`,
      [`erasure-${child}`],
    );
    expect(rows).toEqual([{ type: 'hub.child-erased', actor: 'dpo-1' }]);
    // The records stay, unreadable: what opens them now is the erased marker.
    const opened = await audit.vault.openAll(
      (await audit.store.readStream(`police-${child}`)).map((e) => e.event),
    );
    expect(JSON.stringify(opened)).not.toContain('Police-only narrative');
  });

  it('unlinks the erased child’s identifiers: they find nobody, and a later record starts a new child', async () => {
    const registry = new IdentityRegistry(db.pool, 'test-identifier-secret');
    const [nhsNumber, upn] = [aNhsNumber(), aUpn()];
    const child = await registry.resolve('police', {
      nhsNumber,
      upn,
      localIds: [{ system: 'met-person-id', value: 'P-9' }],
    });
    const other = await registry.resolve('health', { nhsNumber: aNhsNumber() });
    await record(child);
    const erased = await eraseCommand.run(
      context(DPO),
      input([child], { reason: 'Retention decision DPO-2026-2' }),
    );
    expect(erased.json).toMatchObject({ erasures: [{ childId: child, identifiersRemoved: 3 }] });
    expect(await registry.lookup('nhs-number', nhsNumber)).toBeUndefined();
    expect(await registry.lookup('upn', upn)).toBeUndefined();
    expect(await registry.lookupLocal('police', { system: 'met-person-id', value: 'P-9' })).toBeUndefined();
    const again = await registry.resolve('police', { nhsNumber });
    expect(again).not.toBe(child);
    expect(await registry.lookup('nhs-number', nhsNumber)).toBe(again);
    // Another child's identifiers are untouched.
    expect(await registry.unknownOf([other])).toEqual([]);
  });

  it('erases every record merged into the child, as identity recorded the merge in the store', async () => {
    const registry = new IdentityRegistry(db.pool, 'test-identifier-secret');
    const [child, merged] = await Promise.all([
      registry.resolve('police', { nhsNumber: aNhsNumber() }),
      registry.resolve('health', { nhsNumber: aNhsNumber() }),
    ]);
    await Promise.all([record(child), record(merged)]);
    // Recorded by identity's own command; no read model of the links has seen it.
    const links = new StoredLinks(db.pool);
    await new IdentityCommands(audit.store, registry, links).merge(child, merged, {
      decidedBy: { sub: 'sw-1', organisation: DPO.organisation, agency: 'council', role: 'social-worker' },
      purpose: 'safeguarding',
      reason: 'One child, two records.',
    });
    const erased = await eraseCommand.run(
      context(DPO),
      input([child], { reason: 'Retention decision DPO-2026-3' }),
    );
    expect(
      (erased.json as { erasures: { childId: string }[] }).erasures.map((e) => e.childId).sort(),
    ).toEqual([child, merged].sort());
  });
});
