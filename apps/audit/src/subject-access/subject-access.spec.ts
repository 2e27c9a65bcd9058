import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { METROPOLITAN_POLICE } from '@jigsaw/testing';
import type { AccessLogEntry } from '../access-log/access-log.js';
import type { AuditCaller } from '../auth/audit-caller.js';
import { aControl, anIncident, stored } from '../testing/history.factory.js';
import { subjectAccessExport } from './subject-access-export.js';
import { escapeHtml, renderSubjectAccessHtml, renderValue } from './subject-access.html.js';

const childId = randomUUID();
const dpo: AuditCaller = {
  sub: 'dpo-1',
  agency: 'council',
  organisation: 'urn:jigsaw:org:council:leeds',
  role: 'data-protection-officer',
};
const hostile = '<script>alert("x")</script> & <img src=x onerror=alert(1)>';
const incident = anIncident(childId, {
  data: { summary: hostile, occurredAt: '2026-11-20T22:15:00Z', 'bad<key>': 'value' },
});
const withdrawal = aControl('consent-withdrawn', incident, `Parent withdrew consent ${hostile}`);
const incidentKey = `${METROPOLITAN_POLICE}#${incident.id}`;
const read: AccessLogEntry = {
  event: 'urn:jigsaw:org:hub:safeguarding-view#access-1',
  at: '2026-11-21T08:05:00Z',
  recordedAt: '2026-11-21T08:05:00Z',
  service: 'safeguarding-view',
  view: 'chronology',
  purpose: 'safeguarding',
  viewer: {
    sub: 'dsl-1',
    organisation: 'urn:jigsaw:org:education:school-100001',
    agency: 'education',
    role: 'designated-safeguarding-lead',
  },
  shown: [
    {
      event: incidentKey,
      level: 'full',
      reason: 'shared',
      lawfulBasis: 'legal-obligation',
      regime: 'dpa-2018-part-3',
    },
  ],
};

const sar = subjectAccessExport({
  childId,
  members: [childId],
  now: new Date('2026-11-23T00:00:00Z'),
  caller: dpo,
  records: [
    stored(incident, new Date('2026-11-20T23:00:00Z')),
    stored(withdrawal, new Date('2026-11-22T10:00:00Z')),
  ],
  accessLog: [read],
});

describe('subjectAccessExport', () => {
  it('holds every record whole, with the sharing decision recorded with it', () => {
    expect(sar.records.map((r) => r.id)).toEqual([incident.id, withdrawal.id]);
    expect(sar.records[0]).toMatchObject({
      subject: incident.subject,
      data: incident.data,
      sharing: incident.sharing,
    });
    expect(sar.summary).toEqual({ records: 2, sources: [METROPOLITAN_POLICE], reads: 1 });
  });

  it('says where each record stands and why, and who saw it', () => {
    expect(sar.records[0]!.standing).toMatchObject({
      withdrawn: { eventId: withdrawal.id, reason: `Parent withdrew consent ${hostile}` },
      expired: false,
    });
    expect(sar.records[0]!.seenBy).toEqual([
      expect.objectContaining({
        at: read.at,
        purpose: 'safeguarding',
        level: 'full',
        viewer: read.viewer,
      }),
    ]);
    expect(sar.records[1]).toMatchObject({ about: incidentKey, seenBy: [] });
    expect(sar.records[1]).not.toHaveProperty('standing');
  });
});

describe('the HTML export', () => {
  const html = renderSubjectAccessHtml(sar);

  it('escapes everything it shows, keys and values alike', () => {
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('bad<key>');
    expect(html).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;',
    );
    expect(escapeHtml(`'"<>&`)).toBe('&#39;&quot;&lt;&gt;&amp;');
    expect(renderValue({ a: [1, true, null] })).toBe(
      '<dl><dt>a</dt><dd><ol><li>1</li><li>yes</li><li><span class="none">none</span></li></ol></dd></dl>',
    );
  });

  it('is one self-contained document: nothing loaded, nothing run', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<(script|link|iframe|object|embed)\b/i);
    expect(html).not.toMatch(/\b(src|href)="(?!#)/i);
  });

  it('shows each sharing decision with its reason, the standing, and the readers', () => {
    expect(html).toContain(escapeHtml(incident.sharing.consent.reason!));
    expect(html).toContain('legal-obligation');
    expect(html).toContain('education; council; health');
    expect(html).toContain('Consent withdrawn');
    expect(html).toContain('dsl-1 (designated-safeguarding-lead)');
    expect(html).toContain('Who read the records (1)');
  });
});
