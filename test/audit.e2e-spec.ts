import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { repoRoot } from '@jigsaw/config';
import { SchemaRegistry, type JigsawEnvelope } from '@jigsaw/envelope';
import {
  agencySystemToken,
  aNhsNumber,
  anIncidentNotification,
  aPoliceSharingDecision,
  createTestDatabase,
  METROPOLITAN_POLICE,
  practitionerToken,
  testBrokers,
  uniqueTopicPrefix,
  type PractitionerClaims,
  type TestDatabase,
} from '@jigsaw/testing';
import { getJson, postEvent, postJson, eventually } from './support/http.js';
import { claimAccess } from './support/access-claims.js';
import { ServiceProcess, startServices } from './support/service-process.js';

interface Entry {
  id: string;
  data?: Record<string, unknown>;
}
interface AsKnownAt {
  childId: string;
  at: string;
  viewer: Record<string, string>;
  entries: Entry[];
  withheld: { event: string; reason: string }[];
  recordedLater: number;
}
interface AccessEntry {
  event: string;
  at: string;
  service: string;
  view: string;
  purpose: string;
  viewer: { sub: string; organisation: string; role: string };
  shown: { event: string; level: string; reason: string; lawfulBasis: string }[];
  asKnownAt?: { at: string; viewer: Record<string, string> };
  refused?: string;
}
interface Problem {
  status: number;
  code: string;
  errors?: { field: string; reason: string }[];
}
interface HeldRecord {
  event: string;
  id: string;
  type: string;
  subject: Record<string, unknown>;
  data: Record<string, unknown>;
  sharing: {
    consent: { status: string; reason?: string };
    purposes: string[];
    audience: { agency: string }[];
  };
  standing?: { withdrawn?: { reason: string } };
  about?: string;
  seenBy: { viewer: { sub: string }; purpose: string; level: string }[];
}
interface SubjectAccessExport {
  childId: string;
  records: HeldRecord[];
  accessLog: AccessEntry[];
}

const SCHOOL = 'urn:jigsaw:org:education:school-100001';
/** The view's console, which reads the access log from the audit service in the browser. */
const CONSOLE = 'http://localhost:3000';
const LEEDS = 'urn:jigsaw:org:council:leeds';
const REVIEW = 'CSPR-2026-014';
const HOSTILE = '<script>alert("sar")</script> & <b>bold</b>';
const WITHDRAWN_BECAUSE = 'The parent withdrew consent to share this notification with the school.';

const claims = (role: string, organisation: string, purposes: string[], sub: string): PractitionerClaims => ({
  sub,
  agency: organisation.split(':')[3]!,
  organisation,
  role,
  purposes,
});
const bearer = (c: PractitionerClaims): Record<string, string> => ({
  authorization: `Bearer ${practitionerToken(c)}`,
});
const dsl = claims('designated-safeguarding-lead', SCHOOL, ['safeguarding'], 'dsl-1');
/** The Met recorded the incidents: its data protection officer's organisation works with the child. */
const dpo = claims('data-protection-officer', METROPOLITAN_POLICE, ['audit'], 'dpo-1');
/** York never worked with the child. */
const unrelatedDpo = claims('data-protection-officer', 'urn:jigsaw:org:council:york', ['audit'], 'dpo-york');
const partnershipDpo = claims('partnership-dpo', LEEDS, ['audit'], 'pdpo-1');
const PANEL = 'urn:jigsaw:org:council:leeds-partnership';
const panel = claims('review-panel', PANEL, ['audit'], 'panel-1');
const otherPanel = claims('review-panel', 'urn:jigsaw:org:council:york-partnership', ['audit'], 'panel-2');
const lead = claims('partnership-lead', LEEDS, ['safeguarding'], 'lead-1');
const schoolAuditor = claims('auditor', SCHOOL, ['audit'], 'school-aud-1');

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs the audit CLI as `npm run audit` does (from dist/), against this test's database. */
function cli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot(), 'dist/apps/audit/src/cli.js'), ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('auditors replay history: rebuilds, as known at, who saw what, subject access', () => {
  let db: TestDatabase;
  let police: ServiceProcess;
  let view: ServiceProcess;
  let notifications: ServiceProcess;
  let audit: ServiceProcess;
  let env: Record<string, string>;
  const nhsNumber = aNhsNumber();
  let childId: string;
  const asPolice = { authorization: `Bearer ${agencySystemToken(METROPOLITAN_POLICE)}` };

  const incident = (summary: string): JigsawEnvelope => ({
    ...anIncidentNotification({ nhsNumber, summary }),
    sharing: aPoliceSharingDecision({ purposes: ['safeguarding', 'child-protection'] }),
  });
  const withdrawnLater = incident('An incident whose sharing the parent later stopped.');
  const stillShared = incident(HOSTILE);
  const withdrawal: JigsawEnvelope = {
    ...incident('unused'),
    id: `withdraw-${withdrawnLater.id}`,
    type: 'police.consent-withdrawn',
    dataschema: 'urn:jigsaw:schema:consent-withdrawn:v1',
    data: { targetEventId: withdrawnLater.id, reason: WITHDRAWN_BECAUSE },
  };
  const key = (event: JigsawEnvelope): string => `${METROPOLITAN_POLICE}#${event.id}`;
  let beforeAnything: string;
  let whileShared: string;
  let afterWithdrawal: string;

  const post = async (event: JigsawEnvelope): Promise<void> => {
    const response = await postEvent(`${police.url}/v1/events`, event, asPolice);
    expect(response).toMatchObject({ status: 202 });
  };
  const chronologyRows = async (): Promise<number> =>
    (
      await db.pool.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM view.chronology WHERE child_id = $1',
        [childId],
      )
    ).rows[0]!.n;
  const waitForRows = (n: number): Promise<true> =>
    eventually(
      async () => ((await chronologyRows()) >= n ? true : undefined),
      20_000,
      `${n} chronology rows`,
    );
  const dslChronology = (): Promise<{ status: number; body: { entries: Entry[] } }> =>
    getJson(`${view.url}/v1/children/${nhsNumber}/chronology?purpose=safeguarding`, bearer(dsl));
  /** The audit's own reads, as stored: each a CloudEvent (`stored`), its record as `data`. */
  const auditReads = async (): Promise<{ stored: unknown; data: AccessEntry & { accessedAt: string } }[]> =>
    (
      await db.pool.query<{ payload: { data: { record: AccessEntry & { accessedAt: string } } } }>(
        `SELECT payload FROM event_store.events WHERE stream_id = $1 AND source = 'urn:jigsaw:org:hub:audit'
         ORDER BY stream_position`,
        [`access-${childId}`],
      )
    ).rows.map((r) => ({ stored: r.payload, data: r.payload.data.record }));

  beforeAll(async () => {
    db = await createTestDatabase();
    env = {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testBrokers(),
      KAFKA_TOPIC_PREFIX: uniqueTopicPrefix('audit'),
      CORS_ORIGINS: CONSOLE,
    };
    [police, view, notifications, audit] = (await startServices(
      env,
      'police',
      'safeguarding-view',
      'notifications',
      'audit',
    )) as [ServiceProcess, ServiceProcess, ServiceProcess, ServiceProcess];
    beforeAnything = new Date().toISOString();
    await sleep(20);
    await post(withdrawnLater);
    await post(stillShared);
    const stored = await db.pool.query<{ childid: string }>(
      "SELECT payload->>'childid' AS childid FROM event_store.events WHERE id = $1",
      [stillShared.id],
    );
    childId = stored.rows[0]!.childid;
    await waitForRows(2);
    // The notifications service raises one notification for each incident from its own consumer.
    await eventually(
      async () =>
        (
          await db.pool.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM notifications.notifications WHERE child_id = $1',
            [childId],
          )
        ).rows[0]!.n >= 2 || undefined,
      20_000,
      'two notifications raised',
    );
    // The school does not work with the child: its DSL claims access, as the break-glass rule allows.
    await claimAccess(view.url, dsl, nhsNumber);
    await sleep(20);
    whileShared = new Date().toISOString();
    await sleep(20);
    // The school's read, before the withdrawal: it saw both incidents.
    expect((await dslChronology()).body.entries.map((e) => e.id).sort()).toEqual(
      [withdrawnLater.id, stillShared.id].sort(),
    );
    await post(withdrawal);
    await waitForRows(3);
    await sleep(20);
    afterWithdrawal = new Date().toISOString();
    // The partnership commissions a practice review of the child: its panel may audit the child.
    const opened = await postJson<{ childId: string }>(
      `${view.url}/v1/reviews?purpose=safeguarding`,
      {
        nhsNumber,
        reference: REVIEW,
        panelOrganisation: PANEL,
        periodFrom: '2026-01-01',
        periodTo: '2026-12-31',
        until: new Date(Date.now() + 86_400_000).toISOString(),
      },
      bearer(lead),
    );
    expect(opened).toMatchObject({ status: 201, body: { childId } });
  }, 180_000);

  afterAll(async () => {
    await Promise.all([police?.stop(), view?.stop(), notifications?.stop(), audit?.stop()]);
    await db?.drop();
  });

  describe('rebuilding read models', () => {
    it('rebuilds every read model from the history, with progress and a rate, equal to live', async () => {
      const run = await cli(['rebuild', '--compare', '--json'], env);
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
      const result = JSON.parse(run.stdout) as {
        rebuilds: {
          rebuild: {
            schema: string;
            liveSchema: string;
            applied: number;
            caughtUp: number;
            models: string[];
          };
          compare: { differences: unknown[]; tables: { liveRows: number; rebuiltRows: number }[] };
        }[];
      };
      // Each owner's read models into a schema of its own, as that owner.
      const [view, notified] = result.rebuilds;
      expect(result.rebuilds.map((r) => [r.rebuild.liveSchema, r.rebuild.models])).toEqual([
        ['view', ['chronology', 'access-claims', 'partnership-reads']],
        ['notifications', ['notifications']],
      ]);
      expect(view!.rebuild.schema).toMatch(/^view_rebuild_/);
      expect(notified!.rebuild.schema).toMatch(/^notifications_rebuild_/);
      // The view's: the three incidents and the school's self-claim. The notifications': what their own
      // schema marks applied, the records their consumer applied and the two notifications the incidents raised.
      expect(view!.rebuild.applied + view!.rebuild.caughtUp).toBe(4);
      expect(notified!.rebuild.applied + notified!.rebuild.caughtUp).toBeGreaterThanOrEqual(2);
      for (const { compare } of result.rebuilds) {
        expect(compare.differences).toEqual([]);
        expect(compare.tables[0]!.rebuiltRows).toBe(compare.tables[0]!.liveRows);
      }
      expect(notified!.compare.tables[0]!.liveRows).toBe(2);
      // Not a terminal here: plain progress lines with the rate, not a redrawn bar.
      expect(run.stderr).toMatch(/^rebuild view: +\d+% [\d,]+\/[\d,]+ events, [\d,]+ events\/s/m);
      expect(run.stderr).toMatch(/^rebuild notifications: +\d+% [\d,]+\/[\d,]+ events/m);
      expect(run.stderr).not.toContain('\r');
    });

    it('reports a deliberately altered live row by its key, and exits 1', async () => {
      await db.pool.query(
        `UPDATE view.chronology SET event = jsonb_set(event::jsonb, '{data,summary}', '"altered in the live table"')
         WHERE event_key = $1`,
        [`${METROPOLITAN_POLICE}|${stillShared.id}`],
      );
      const run = await cli(
        [
          'rebuild',
          'chronology',
          'access-claims',
          'partnership-reads',
          '--into',
          'view_rebuild_e2e',
          '--compare',
        ],
        env,
      );
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(
        `chronology event_key=${METROPOLITAN_POLICE}|${stillShared.id}: different (event)`,
      );
      expect(run.stdout).toMatch(/\n1 differences\n$/);
    });

    it('swaps the rebuild in while the view keeps answering, and the live consumer carries on', async () => {
      const altered = (await dslChronology()).body.entries.find((e) => e.id === stillShared.id);
      expect(altered?.data?.['summary']).toBe('altered in the live table');

      let stop = false;
      const answers: number[] = [];
      const reader = (async () => {
        while (!stop) answers.push((await dslChronology()).status);
      })();
      const refused = await cli(['swap', 'view_rebuild_e2e'], env);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toContain('not swapped');
      const swap = await cli(['swap', 'view_rebuild_e2e', '--force'], env);
      stop = true;
      await reader;
      expect(swap.code).toBe(0);
      expect(swap.stdout).toMatch(
        /swapped chronology, access_claims, partnership_reads from view_rebuild_e2e into view/,
      );
      expect(answers.length).toBeGreaterThan(3);
      expect(answers.every((status) => status === 200)).toBe(true);

      const repaired = (await dslChronology()).body.entries.find((e) => e.id === stillShared.id);
      expect(repaired?.data?.['summary']).toBe(HOSTILE);
      const later = incident('Recorded after the swap.');
      await post(later);
      await waitForRows(4);
      expect((await dslChronology()).body.entries.map((e) => e.id)).toContain(later.id);
      const check = await cli(['rebuild', '--compare'], env);
      expect(check.code).toBe(0);
      expect(check.stdout).toMatch(/\nno differences\n.*\nno differences\n$/s);
    });
  });

  describe('as known at', () => {
    const asKnownAt = (at: string, who = panel, viewer = SCHOOL, role = 'designated-safeguarding-lead') =>
      getJson<AsKnownAt & Problem>(
        `${audit.url}/v1/children/${nhsNumber}/as-known-at?viewer=${encodeURIComponent(viewer)}&role=${role}` +
          `&purpose=safeguarding&at=${encodeURIComponent(at)}`,
        bearer(who),
      );

    it('shows what the school could see before the withdrawal, and not after, with the reason', async () => {
      const before = await asKnownAt(whileShared);
      expect(before.status).toBe(200);
      expect(before.body.entries.map((e) => e.id).sort()).toEqual([withdrawnLater.id, stillShared.id].sort());
      expect(before.body.withheld).toEqual([]);
      expect(Object.keys(before.body.entries[0]!.data!)).not.toContain('narrative');

      const after = await asKnownAt(afterWithdrawal);
      expect(after.body.entries.map((e) => e.id)).toEqual([stillShared.id]);
      expect(after.body.withheld).toEqual([
        expect.objectContaining({ event: key(withdrawnLater), reason: 'consent-withdrawn' }),
      ]);

      const nothingYet = await asKnownAt(beforeAnything);
      expect(nothingYet.body).toMatchObject({ entries: [], withheld: [] });
      expect(nothingYet.body.recordedLater).toBeGreaterThanOrEqual(3);
    });

    it('records the audit read itself, naming the moment and the viewer reconstructed', async () => {
      const before = (await auditReads()).length;
      await asKnownAt(whileShared);
      const [read] = (await auditReads()).slice(before);
      expect(read!.data).toMatchObject({
        view: 'as-known-at',
        purpose: 'audit',
        viewer: { sub: 'panel-1', role: 'review-panel', organisation: PANEL },
        asKnownAt: { at: new Date(whileShared).toISOString(), viewer: { organisation: SCHOOL } },
      });
      expect(read!.data.shown.map((s) => s.event).sort()).toEqual(
        [key(withdrawnLater), key(stillShared)].sort(),
      );
      expect(new SchemaRegistry().validateEnvelope(read!.stored)).toEqual([]);
      expect(JSON.stringify(read)).not.toContain(nhsNumber);
    });

    it('answers the CLI the same, recorded against the token given', async () => {
      const run = await cli(
        [
          'as-known-at',
          nhsNumber,
          '--viewer',
          SCHOOL,
          '--role',
          'designated-safeguarding-lead',
          '--purpose',
          'safeguarding',
          '--at',
          afterWithdrawal,
          '--json',
        ],
        { ...env, JIGSAW_TOKEN: practitionerToken(partnershipDpo) },
      );
      expect(run.code).toBe(0);
      expect((JSON.parse(run.stdout) as AsKnownAt).entries.map((e) => e.id)).toEqual([stillShared.id]);
      expect((await auditReads()).at(-1)!.data.viewer.sub).toBe('pdpo-1');
      const unsigned = await cli(['as-known-at', nhsNumber], env);
      expect(unsigned.code).toBe(2);
    });

    it('answers bad input with problem+json naming each field', async () => {
      const response = await getJson<Problem>(
        `${audit.url}/v1/children/${nhsNumber}/as-known-at?viewer=school&role=head&at=yesterday`,
        bearer(panel),
      );
      expect(response.status).toBe(400);
      expect(response.contentType).toContain('application/problem+json');
      expect(response.body.errors?.map((e) => e.field)).toEqual(['viewer', 'role', 'purpose', 'at']);
      const badRef = await asKnownAt(whileShared, panel, SCHOOL).then(() =>
        getJson<Problem>(`${audit.url}/v1/children/12345/as-known-at`, bearer(panel)),
      );
      expect(badRef.status).toBe(400);
    });

    it('refuses a practitioner without an auditing role, and anyone without a token', async () => {
      const response = await asKnownAt(whileShared, dsl);
      expect(response.status).toBe(403);
      expect(response.contentType).toContain('application/problem+json');
      expect(response.body).toMatchObject({ code: 'FORBIDDEN', errors: [{ field: 'role' }] });
      const anonymous = await getJson<Problem>(`${audit.url}/v1/children/${nhsNumber}/access-log`);
      expect(anonymous.status).toBe(401);
    });
  });

  describe('access log', () => {
    const accessLog = (who: PractitionerClaims, ref = nhsNumber) =>
      getJson<{ childId: string; entries: AccessEntry[] } & Problem>(
        `${audit.url}/v1/children/${ref}/access-log`,
        bearer(who),
      );

    it('shows a data protection officer who read what, when, for which purpose and basis', async () => {
      const response = await accessLog(dpo);
      expect(response.status).toBe(200);
      expect(response.body.childId).toBe(childId);
      const schoolRead = response.body.entries.find((e) => e.viewer.sub === 'dsl-1');
      expect(schoolRead?.at).toEqual(expect.any(String));
      expect(schoolRead).toMatchObject({
        service: 'safeguarding-view',
        view: 'chronology',
        purpose: 'safeguarding',
        viewer: { organisation: SCHOOL, role: 'designated-safeguarding-lead' },
      });
      expect(schoolRead!.shown).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ event: key(withdrawnLater), lawfulBasis: 'legal-obligation' }),
        ]),
      );
      expect(response.body.entries.some((e) => e.service === 'audit' && e.view === 'as-known-at')).toBe(true);
    });

    it('is recorded as a read in its turn', async () => {
      const before = (await auditReads()).length;
      await accessLog(panel);
      expect((await auditReads()).slice(before).map((r) => r.data.view)).toEqual(['access-log']);
    });

    it('refuses a practitioner without an auditing role with 403, and records nothing', async () => {
      const before = (await auditReads()).length;
      const response = await accessLog(dsl);
      expect(response.status).toBe(403);
      expect(response.contentType).toContain('application/problem+json');
      expect(response.body.errors?.[0]?.field).toBe('role');
      expect((await auditReads()).length).toBe(before);
    });

    it('answers auditors outside the case as for an unknown child, and records the refusal', async () => {
      const unknown = await accessLog(unrelatedDpo, aNhsNumber());
      const before = (await auditReads()).length;
      // The school only self-claimed: it recorded nothing, so its auditor has no records of its own here.
      for (const who of [unrelatedDpo, otherPanel, schoolAuditor]) {
        const response = await accessLog(who);
        expect({ status: response.status, body: response.body }).toEqual({
          status: 404,
          body: { ...unknown.body, instance: expect.any(String) },
        });
      }
      const refused = (await auditReads()).slice(before).map((r) => [r.data.viewer.sub, r.data.refused]);
      expect(refused).toEqual([
        ['dpo-york', 'no-relationship'],
        ['panel-2', 'no-relationship'],
        ['school-aud-1', 'no-relationship'],
      ]);
    });

    it("reports a partnership data protection officer's read to the organisations working with the child", async () => {
      const before = (await auditReads()).length;
      expect((await accessLog(partnershipDpo)).status).toBe(200);
      const [read] = (await auditReads()).slice(before);
      expect(read!.data).toMatchObject({
        viewer: { sub: 'pdpo-1' },
        reportedTo: expect.arrayContaining([METROPOLITAN_POLICE]),
      });
      // It reaches the Met's data protection officer in the view's inbox, once the view has followed the
      // access stream to it, and not York's.
      const readId = (read!.stored as { id: string }).id;
      const inbox = (who: PractitionerClaims) =>
        getJson<{ partnershipReads: { readId: string }[] }>(
          `${view.url}/v1/children/access-claims?purpose=audit`,
          bearer(who),
        );
      const reported = await eventually(
        async () => {
          const reads = (await inbox(dpo)).body.partnershipReads.filter((r) => r.readId === readId);
          return reads.length > 0 ? reads : undefined;
        },
        15_000,
        "the read in the Met data protection officer's inbox",
      );
      expect(reported).toEqual([
        {
          readId,
          childId,
          reader: { sub: 'pdpo-1', organisation: LEEDS, agency: 'council', role: 'partnership-dpo' },
          view: 'access-log',
          readAt: read!.data.accessedAt,
        },
      ]);
      expect((await inbox(unrelatedDpo)).body.partnershipReads).toEqual([]);
    });

    it("lets the console's origin read it from a browser, and no other origin", async () => {
      const url = `${audit.url}/v1/children/${nhsNumber}/access-log?purpose=audit`;
      const preflight = await fetch(url, {
        method: 'OPTIONS',
        headers: {
          origin: CONSOLE,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe(CONSOLE);
      expect(preflight.headers.get('access-control-allow-headers')).toContain('Authorization');
      const read = await fetch(url, { headers: { ...bearer(dpo), origin: CONSOLE } });
      expect(read.status).toBe(200);
      expect(read.headers.get('access-control-allow-origin')).toBe(CONSOLE);
      const elsewhere = await fetch(url, {
        headers: { ...bearer(dpo), origin: 'https://elsewhere.example' },
      });
      expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
      const stranger = await fetch(url, {
        method: 'OPTIONS',
        headers: { origin: 'https://elsewhere.example' },
      });
      expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('answers a child the hub does not know with 404', async () => {
      expect((await accessLog(dpo, aNhsNumber())).status).toBe(404);
    });
  });

  describe('subject access export', () => {
    const url = (query = ''): string => `${audit.url}/v1/children/${nhsNumber}/subject-access-export${query}`;

    it('holds every record, what was shared with whom and why, and the access log, as JSON', async () => {
      const response = await getJson<SubjectAccessExport>(url(), bearer(dpo));
      expect(response.status).toBe(200);
      const byId = new Map(response.body.records.map((r) => [r.id, r]));
      expect([...byId.keys()]).toEqual(
        expect.arrayContaining([withdrawnLater.id, stillShared.id, withdrawal.id]),
      );
      const withdrawn = byId.get(withdrawnLater.id)!;
      expect(withdrawn.subject).toMatchObject({ nhsNumber });
      expect(withdrawn.sharing.consent.reason).toBe(aPoliceSharingDecision().consent.reason);
      expect(withdrawn.sharing.audience.map((a) => a.agency)).toEqual(['education', 'council', 'health']);
      expect(withdrawn.standing?.withdrawn?.reason).toBe(WITHDRAWN_BECAUSE);
      expect(withdrawn.seenBy).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ viewer: expect.objectContaining({ sub: 'dsl-1' }) }),
        ]),
      );
      expect(byId.get(withdrawal.id)!.about).toBe(key(withdrawnLater));
      expect(byId.get(stillShared.id)!.data['summary']).toBe(HOSTILE);
      expect(response.body.accessLog.length).toBeGreaterThan(0);
    });

    it('is a readable, self-contained HTML document with everything escaped', async () => {
      for (const [query, headers] of [
        ['', { ...bearer(dpo), accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8' }],
        ['?format=html', bearer(dpo)],
      ] as const) {
        const response = await fetch(url(query), { headers });
        const html = await response.text();
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toContain('text/html');
        expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
        expect(html.startsWith('<!doctype html>')).toBe(true);
        expect(html).not.toMatch(/<script|<b>/);
        expect(html).toContain(
          '&lt;script&gt;alert(&quot;sar&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;',
        );
        expect(html).toContain(WITHDRAWN_BECAUSE);
        expect(html).toContain('Operation Encompass is a statutory duty');
        expect(html).toContain('dsl-1 (designated-safeguarding-lead)');
      }
    });

    it('records each export as a read, and names a bad format', async () => {
      const before = (await auditReads()).length;
      await getJson(url(), bearer(dpo));
      const [read] = (await auditReads()).slice(before);
      expect(read!.data).toMatchObject({ view: 'subject-access-export', viewer: { sub: 'dpo-1' } });
      expect(read!.data.shown.map((s) => s.event)).toEqual(expect.arrayContaining([key(withdrawal)]));
      const bad = await getJson<Problem>(url('?format=pdf'), bearer(dpo));
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toEqual([{ field: 'format', reason: 'must be json or html, given once' }]);
      expect((await getJson<Problem>(url(), bearer(schoolAuditor))).status).toBe(404);
    });
  });

  describe('a review panel', () => {
    const exportFor = (who: PractitionerClaims) =>
      getJson<SubjectAccessExport & Problem>(
        `${audit.url}/v1/children/${nhsNumber}/subject-access-export`,
        bearer(who),
      );

    it('reads its child until the review closes, and nothing after', async () => {
      const open = await exportFor(panel);
      expect(open.status).toBe(200);
      expect(open.body.records.map((r) => r.id)).toEqual(
        expect.arrayContaining([withdrawnLater.id, stillShared.id]),
      );
      const notLead = await postJson<Problem>(
        `${view.url}/v1/reviews/${childId}/${REVIEW}/close?purpose=safeguarding`,
        {},
        bearer(dsl),
      );
      expect(notLead.status).toBe(403);
      const closed = await postJson(
        `${view.url}/v1/reviews/${childId}/${REVIEW}/close?purpose=safeguarding`,
        {},
        bearer(lead),
      );
      expect(closed.status).toBe(200);
      expect((await exportFor(panel)).status).toBe(404);
      const stored = await db.pool.query<{ type: string }>(
        'SELECT type FROM event_store.events WHERE stream_id = $1 ORDER BY stream_position',
        [`reviews-${childId}`],
      );
      expect(stored.rows.map((r) => r.type)).toEqual(['hub.review-opened', 'hub.review-closed']);
    });
  });

  describe('operations open to auditors', () => {
    it('lists and runs the commands the table opens to HTTP, and no others', async () => {
      const list = await getJson<{ name: string }[]>(`${audit.url}/v1/operations`, bearer(schoolAuditor));
      expect(list.body.map((c) => c.name)).toEqual(['read-models', 'rebuilds', 'verify']);
      const models = await postJson<{ models: { name: string; liveSchema: string }[] }>(
        `${audit.url}/v1/operations/read-models`,
        {},
        bearer(schoolAuditor),
      );
      expect(models).toMatchObject({
        status: 200,
        body: {
          models: [
            { name: 'chronology', liveSchema: 'view' },
            { name: 'access-claims', liveSchema: 'view' },
            { name: 'partnership-reads', liveSchema: 'view' },
            { name: 'notifications', liveSchema: 'notifications' },
          ],
        },
      });
      const rebuild = await postJson<Problem>(`${audit.url}/v1/operations/rebuild`, {}, bearer(dpo));
      expect(rebuild.status).toBe(400);
      expect(rebuild.body.errors?.[0]?.field).toBe('name');
      const bad = await postJson<Problem>(
        `${audit.url}/v1/operations/rebuilds`,
        { options: { x: 1 } },
        bearer(dpo),
      );
      expect(bad.body.errors).toEqual([{ field: 'options.x', reason: 'is not an option of this command' }]);
    });
  });
});

describe("the audit CLI and the audit service's migrations", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('only checks them with DATABASE_MIGRATIONS=check, and applies them by default', async () => {
    const check = { DATABASE_URL: db.url, DATABASE_MIGRATIONS: 'check' };
    const refused = await cli(['rebuilds'], check);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(
      /^error: \d+ migrations are not applied: event-store\/001_\w+\.sql, .*; apply them with `npm run migrate`/,
    );
    const { rows } = await db.pool.query('SELECT 1 FROM public.jigsaw_migrations');
    expect(rows).toEqual([]);

    const none = { code: 0, stdout: expect.stringMatching(/^no rebuilds\n$/i) };
    expect(await cli(['rebuilds'], { DATABASE_URL: db.url })).toMatchObject(none);
    expect(await cli(['rebuilds'], check)).toMatchObject(none);
  });
});
