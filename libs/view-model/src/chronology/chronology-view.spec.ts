import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '@jigsaw/envelope';
import { relatedAccess, type Viewer } from '@jigsaw/sharing';
import { aPoliceSharingDecision, aRecordedEvent, METROPOLITAN_POLICE } from '@jigsaw/testing';
import { chronologyFor, type ChronologyRow } from './chronology-view.js';

const childid = randomUUID();
const now = new Date();
const at = (minutesAgo: number): Date => new Date(now.getTime() - minutesAgo * 60_000);

const row = (event: RecordedEvent, minutesAgo: number): ChronologyRow => ({
  occurredAt: at(minutesAgo),
  recordedAt: at(minutesAgo),
  event,
});

const viewer = (overrides: Partial<Viewer>): Viewer => ({
  agency: 'education',
  organisation: 'urn:jigsaw:org:education:school-100001',
  role: 'designated-safeguarding-lead',
  purpose: 'safeguarding',
  userId: 'dsl-1',
  ...overrides,
});

const incident = aRecordedEvent({ childid });
const policeOnly: RecordedEvent = {
  ...aRecordedEvent({ childid }),
  sharing: aPoliceSharingDecision({ audience: [{ agency: 'police' }], sensitivity: 'restricted' }),
};
const retracted = aRecordedEvent({ childid });
const retraction: RecordedEvent = {
  ...aRecordedEvent({ childid }),
  type: 'police.record-retracted',
  dataschema: 'urn:jigsaw:schema:record-retracted:v1',
  data: { targetEventId: retracted.id, reason: 'Entered against the wrong child.' },
};
const rows = [row(incident, 50), row(policeOnly, 40), row(retracted, 30), row(retraction, 20)];

describe('chronologyFor', () => {
  it('shows a school the shared incident only, cut to its fields, and logs exactly that', () => {
    const { entries, shown } = chronologyFor(viewer({}), rows, now, 'legitimate-relationship');
    expect(entries.map((e) => e.id)).toEqual([incident.id]);
    expect(Object.keys(entries[0]!.data ?? {}).sort()).toEqual(
      ['childInHousehold', 'childPresent', 'contact', 'force', 'occurredAt', 'summary'].sort(),
    );
    expect(entries[0]).not.toHaveProperty('subject');
    expect(shown).toEqual([
      {
        event: `${METROPOLITAN_POLICE}#${incident.id}`,
        level: 'full',
        reason: 'shared',
        lawfulBasis: 'legal-obligation',
        regime: 'dpa-2018-part-3',
      },
    ]);
  });

  it('shows the owner everything but the control event, with the retraction as standing', () => {
    const officer = viewer({
      agency: 'police',
      organisation: METROPOLITAN_POLICE,
      role: 'police-officer',
      userId: 'pc-1',
    });
    const { entries } = chronologyFor(officer, rows, now, relatedAccess(officer));
    expect(entries.map((e) => e.id)).toEqual([incident.id, policeOnly.id, retracted.id]);
    expect(entries[2]?.standing?.retracted).toBe(true);
    expect(entries[0]?.subject).toEqual(incident.subject);
  });

  it('folds the ledger in recorded order, whatever order the entries are shown in', () => {
    const shuffled = [row(retraction, 20), row(retracted, 30)].map((r, i) => ({
      ...r,
      occurredAt: at(100 - i),
    }));
    const officer = viewer({ agency: 'police', organisation: METROPOLITAN_POLICE, role: 'police-officer' });
    expect(
      chronologyFor(officer, shuffled, now, relatedAccess(officer)).entries[0]?.standing?.retracted,
    ).toBe(true);
  });

  it('gives an auditor skeletons without data or subject, timed by the envelope', () => {
    const auditor = viewer({
      agency: 'council',
      organisation: 'urn:jigsaw:org:council:leeds',
      role: 'auditor',
      purpose: 'audit',
    });
    const { entries, shown } = chronologyFor(auditor, rows, now, relatedAccess(auditor));
    expect(entries.map((e) => e.id)).toEqual([incident.id, policeOnly.id, retracted.id]);
    for (const entry of entries) {
      expect(entry.level).toBe('skeleton');
      expect(entry).not.toHaveProperty('data');
      expect(entry).not.toHaveProperty('subject');
    }
    expect(shown.every((s) => s.reason === 'audit-skeleton')).toBe(true);
  });

  it('shows nothing, and logs nothing shown, to a purpose the records were not shared for', () => {
    expect(chronologyFor(viewer({ purpose: 'health-care' }), rows, now, 'legitimate-relationship')).toEqual({
      entries: [],
      shown: [],
    });
  });

  it("sums each entry up from the viewer's own cut: the school reads the summary, never the narrative", () => {
    const { entries } = chronologyFor(viewer({}), rows, now, 'legitimate-relationship');
    expect(entries[0]?.summary).toBe(
      'Domestic abuse incident: Police attended a domestic abuse incident at home; the child was present.',
    );
    const skeletons = chronologyFor(
      viewer({
        agency: 'council',
        organisation: 'urn:jigsaw:org:council:leeds',
        role: 'auditor',
        purpose: 'audit',
      }),
      rows,
      now,
      'legitimate-relationship',
    ).entries;
    expect(skeletons.map((e) => e.summary)).toEqual([
      'Domestic abuse incident',
      'Domestic abuse incident',
      'Domestic abuse incident',
    ]);
  });

  it('applies control events given apart from the page: a retraction on a later page still hides its record', () => {
    const page = [row(incident, 50), row(retracted, 30)];
    expect(chronologyFor(viewer({}), page, now, 'legitimate-relationship').entries.map((e) => e.id)).toEqual([
      incident.id,
      retracted.id,
    ]);
    expect(
      chronologyFor(viewer({}), page, now, 'legitimate-relationship', [row(retraction, 20)]).entries.map(
        (e) => e.id,
      ),
    ).toEqual([incident.id]);
  });
});
