// The console signs practitioners in as a deployment does: outside development mode, through two real
// OpenID providers (panva's oidc-provider) configured like NHS CIS2 (national RBAC codes in
// nhsid_nrbac_roles) and like Microsoft Entra ID (app roles in `roles`, the tenant in `tid`, the person in
// `oid`), in headless Chromium through the authorization code flow with PKCE. The CIS2-like issuer's
// access tokens live 6 s and are checked with no clock tolerance, so the console meets a token that has
// really expired, and signs in again without losing the page. Agency systems post real records about a
// child with client credentials tokens (private_key_jwt); a practitioner of each issuer finds the child
// through the console's own search form, and the page shows exactly the entries the sharing policy gives
// their mapped role, worked out here from the view's rows by the same policy functions.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { JigsawEnvelope, RecordedEvent, SharingDecision } from '@jigsaw/envelope';
import { decideChildAccess, type Viewer } from '@jigsaw/sharing';
import { aNhsNumber, createTestDatabase, type TestDatabase } from '@jigsaw/testing';
import {
  chronologyFor,
  EVENT_COLUMNS,
  fullEvent,
  relationshipsOf,
  VIEW_SCHEMA,
  type ChronologyEntry,
  type ChronologyRow,
  type StoredChronologyRow,
} from '@jigsaw/view-model';
import {
  cis2Entry,
  CONSOLE_REDIRECT,
  entraEntry,
  entraObjectId,
  startTwoIssuers,
  type TwoIssuers,
} from '../libs/auth/src/testing/issuers.factory.js';
import { deploymentEnv } from './support/deployment.js';
import { encounterBundle } from './support/fhir-bundles.js';
import { eventually, exampleEvent, getJson, postEvent, postJson } from './support/http.js';
import { freePort, ServiceProcess, startServices } from './support/service-process.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const TOKEN_SECONDS = 6;
const CIS2_LABEL = 'NHS Care Identity Service 2';
const ENTRA_LABEL = 'Leeds City Council';
const TRUST = 'urn:jigsaw:org:health:rr8';
const OTHER_TRUST = 'urn:jigsaw:org:health:rhq';
const LEEDS = 'urn:jigsaw:org:council:leeds';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** An example event of the schemas made this run's own: its id, its source, the child, and the changes. */
function anEvent(
  example: string,
  source: string,
  nhsNumber: string,
  change: { sharing?: Partial<SharingDecision>; data?: Record<string, unknown> },
): JigsawEnvelope {
  const event = exampleEvent(`schemas/${example}`);
  return {
    ...event,
    id: `${event.type}-${randomUUID()}`,
    source,
    subject: { ...event.subject, nhsNumber },
    sharing: { ...event.sharing, ...change.sharing },
    data: { ...(event.data as Record<string, unknown>), ...change.data },
  };
}

/** Every string in a value, at any depth. */
function textsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(textsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(textsIn);
  return [];
}

/** Submits the console's search form, as a practitioner would, and waits for its answer. */
async function findChild(page: Page, nhsNumber: string, purpose: string): Promise<void> {
  expect(await page.isVisible('#child')).toBe(false);
  await page.check('#by-nhs');
  await page.selectOption('#purpose', purpose);
  await page.fill('#identifier', nhsNumber);
  await page.press('#identifier', 'Enter');
  await page.waitForSelector('#child:not([hidden]), #no-record:not([hidden]), #alert:not([hidden])');
  // A token of the CIS2-like issuer lives seconds: if it ran out on the way, sign in again and search again.
  if ((await page.isVisible('#alert')) && (await page.textContent('#alert'))?.includes('has expired')) {
    const popup = page.waitForEvent('popup');
    await page.click('#alert button');
    await popup;
    await page.waitForSelector('#status >> text=Signed in again');
    await page.press('#identifier', 'Enter');
    await page.waitForSelector('#child:not([hidden]), #no-record:not([hidden]), #alert:not([hidden])');
  }
}

/** The chronology as the page shows it: each entry's agency, time and text, in order. */
async function shownEntries(
  page: Page,
): Promise<{ agency: string | null; at: string | null; text: string }[]> {
  const items = await page.locator('#timeline li').all();
  return Promise.all(
    items.map(async (item) => ({
      agency: await item.getAttribute('data-agency'),
      at: await item.locator('time').getAttribute('datetime'),
      text: (await item.textContent()) ?? '',
    })),
  );
}

/** Chooses the provider and signs in at its login form, which asks for the account alone. */
async function signInAt(page: Page, label: string, account: string): Promise<void> {
  await page.waitForSelector('#oidc-sign-in:not([hidden])');
  await page.selectOption('#issuer', { label });
  await page.click('#oidc-sign-in button');
  await page.waitForSelector('input[name="login"]');
  await page.fill('input[name="login"]', account);
  await page.fill('input[name="password"]', 'x');
  await page.press('input[name="password"]', 'Enter');
  await page.waitForURL(/\/console\/$/);
}

/** Signs out at the identity provider too (RP-initiated logout), which asks first. */
async function signOut(page: Page): Promise<void> {
  await page.click('#sign-out');
  await page.waitForSelector('button[value="yes"]');
  await page.click('button[value="yes"]');
  await page.waitForSelector('#oidc-sign-in:not([hidden])');
}

describe('the console signs in through CIS2-like and Entra-like providers', () => {
  let issuers: TwoIssuers;
  let db: TestDatabase;
  let view: ServiceProcess;
  let health: ServiceProcess;
  let council: ServiceProcess;
  let browser: Browser;
  let page: Page;

  // One child, with records from the trust and from the council: each shared to some and not to others.
  const nhsNumber = aNhsNumber();
  /** The trust's concern, kept within health: the council's social worker may not see it. */
  const healthOnlyConcern = anEvent(
    'health/practitioner-concern-raised/examples/valid/health-visitor.json',
    TRUST,
    nhsNumber,
    {
      sharing: {
        audience: [{ agency: 'health' }],
        decidedBy: { role: 'Named nurse for safeguarding children', organisation: TRUST },
      },
      data: { summary: 'Bruising to the upper arm seen at clinic; the explanation given did not fit it.' },
    },
  );
  /** The council's referral, shared with health, which learns that it was received but not the need. */
  const referral = anEvent(
    'council/referral-received/examples/valid/police-referral.json',
    LEEDS,
    nhsNumber,
    {
      data: { summary: 'Referral from the school after the child said an adult at home hit them.' },
    },
  );
  /** Restricted, named to health visitors: a clinician is not among them. */
  const restrictedAssessment = anEvent(
    'council/assessment-started/examples/valid/started.json',
    LEEDS,
    nhsNumber,
    {
      sharing: { sensitivity: 'restricted', audience: [{ agency: 'health', roles: ['health-visitor'] }] },
      data: { summary: 'Section 47 enquiry opened after the strategy discussion with the police.' },
    },
  );
  /** The trust's emergency attendance, from its EPR through the FHIR adapter: its id once recorded. */
  let attendance = '';
  let childId = '';

  /**
   * What the sharing policy gives this viewer of the child, worked out here from the view's own rows by the
   * functions the hub decides with: the viewer's access to the child, then each entry and its cut.
   */
  async function whatThePolicyShows(
    viewer: Viewer,
  ): Promise<{ entries: ChronologyEntry[]; stored: RecordedEvent[] }> {
    const { rows } = await db.pool.query<StoredChronologyRow & { occurred_at: Date }>(
      `SELECT occurred_at, ${EVENT_COLUMNS} FROM "${VIEW_SCHEMA}".chronology WHERE child_id = $1
       ORDER BY occurred_at, event_key`,
      [childId],
    );
    const chronology: ChronologyRow[] = rows.map((row) => ({
      occurredAt: row.occurred_at,
      recordedAt: row.recorded_at,
      event: fullEvent(row),
    }));
    const history = [...chronology]
      .sort((a, b) => a.recordedAt.getTime() - b.recordedAt.getTime())
      .map((row) => row.event);
    const now = new Date();
    const relationships = await relationshipsOf(db.pool, [childId], history);
    const access = decideChildAccess(viewer, { relationships }, now);
    return { entries: chronologyFor(viewer, chronology, now, access).entries, stored: history };
  }

  /**
   * The page shows exactly the policy's entries, in order, each with its agency, time and summary; the
   * agencies involved with as many records each; and no text the policy cut away, nor the child's
   * identifier or name.
   */
  async function expectThePageToShow(expected: ChronologyEntry[], stored: RecordedEvent[]): Promise<void> {
    await page.waitForSelector('#child:not([hidden])');
    const shown = await shownEntries(page);
    expect(shown.map(({ agency, at }) => ({ agency, at }))).toEqual(
      expected.map((entry) => ({ agency: entry.agency, at: entry.occurredAt })),
    );
    shown.forEach((entry, i) => expect(entry.text).toContain(expected[i]!.summary));

    const bySource = new Map<string, number>();
    for (const entry of expected) bySource.set(entry.source, (bySource.get(entry.source) ?? 0) + 1);
    const involved = await page.locator('#view li[data-agency]').allTextContents();
    expect(involved).toHaveLength(bySource.size);
    for (const [organisation, records] of bySource) {
      expect(involved.some((text) => text.includes(`${organisation} (${records} record`))).toBe(true);
    }

    const kept = expected.flatMap((entry) => [...textsIn(entry.data), entry.summary]);
    const cut = stored
      .flatMap((event) => textsIn(event.data))
      .filter((text) => text.length >= 12 && !kept.some((k) => k.includes(text)));
    expect(cut.length).toBeGreaterThan(0);
    // The child as the agencies named them (NHS number, local ids, name, birth date) is the owner's only,
    // and the console shows it to nobody.
    const identifying = stored.flatMap((event) => textsIn(event.subject)).filter((text) => text.length >= 5);
    expect(identifying).toEqual(expect.arrayContaining([nhsNumber, 'Amara']));
    const onThePage = (await page.textContent('#main')) ?? '';
    expect([...cut, ...identifying].filter((text) => onThePage.includes(text))).toEqual([]);
  }

  /**
   * Finds the child through the console's search form as the signed-in practitioner, checks the page
   * against what the policy gives them for safeguarding, and answers each entry's id and the rule that
   * showed it.
   */
  async function findAndCompare(viewer: Omit<Viewer, 'purpose'>): Promise<string[][]> {
    await findChild(page, nhsNumber, 'safeguarding');
    const { entries, stored } = await whatThePolicyShows({ ...viewer, purpose: 'safeguarding' });
    await expectThePageToShow(entries, stored);
    return entries.map((entry) => [entry.id, entry.reason]).sort();
  }

  beforeAll(async () => {
    const port = await freePort();
    const consoleUrl = `http://127.0.0.1:${port}/console/`;
    [issuers, db] = await Promise.all([
      startTwoIssuers({ cis2AccessTokenTtl: TOKEN_SECONDS, console: [consoleUrl] }),
      createTestDatabase(),
    ]);
    const consoleClient = (label: string, scope = 'openid') => ({
      console: { clientId: 'jigsaw-console', label, scope },
    });
    const env = deploymentEnv(db, 'console-sign-in', [
      cis2Entry(issuers.cis2.issuer, undefined, {
        ...consoleClient(CIS2_LABEL, 'openid nationalrbacaccess'),
        clockToleranceSeconds: 0,
      }),
      entraEntry(issuers.entra.issuer, undefined, consoleClient(ENTRA_LABEL)),
    ]);
    let agencies: ServiceProcess[];
    [agencies, view, browser] = await Promise.all([
      startServices(env, 'health', 'council'),
      ServiceProcess.start('safeguarding-view', env, [], port),
      chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] }),
    ]);
    [health, council] = agencies as [ServiceProcess, ServiceProcess];
    page = await browser.newPage();

    // Each agency's system posts with a client credentials token from its own issuer (private_key_jwt).
    const [trustToken, councilToken] = await Promise.all([
      issuers.cis2.clientCredentialsToken(issuers.trust.clientId, issuers.trust.privateKey),
      issuers.entra.clientCredentialsToken(issuers.council.clientId, issuers.council.privateKey),
    ]);
    const [asTrust, asCouncil] = [bearer(trustToken), bearer(councilToken)];
    const fhir = await postJson<{ entries: { id?: string }[] }>(
      `${health.url}/v1/adapters/fhir`,
      encounterBundle(nhsNumber),
      asTrust,
    );
    expect(fhir.status).toBe(200);
    attendance = fhir.body.entries.find((entry) => entry.id)!.id!;
    const posts = await Promise.all([
      postEvent(`${health.url}/v1/events`, healthOnlyConcern, asTrust),
      postEvent(`${council.url}/v1/events`, referral, asCouncil),
      postEvent(`${council.url}/v1/events`, restrictedAssessment, asCouncil),
    ]);
    expect(posts.map((post) => [post.status, post.body])).toEqual(posts.map((post) => [202, post.body]));

    // Until the view holds all four: every record shows to its own agency's practitioner, through the API.
    const all = [attendance, healthOnlyConcern.id, referral.id, restrictedAssessment.id];
    const readers = [
      { issuer: issuers.cis2, account: 'clinician-1', token: '' },
      { issuer: issuers.entra, account: 'social-worker-1', token: '' },
    ];
    await eventually(
      async () => {
        const seen = new Set<string>();
        for (const reader of readers) {
          // Signed in through the code flow once, and again when the short-lived token runs out.
          for (let attempt = 0; attempt < 2; attempt++) {
            reader.token ||= await reader.issuer.signIn(reader.account, {
              clientId: 'jigsaw-console',
              redirectUri: CONSOLE_REDIRECT,
            });
            const read = await getJson<{ childId: string; entries: { id: string }[] }>(
              `${view.url}/v1/children/${nhsNumber}/chronology?purpose=safeguarding`,
              bearer(reader.token),
            );
            if (read.status === 401) {
              reader.token = '';
              continue;
            }
            if (read.status === 200) {
              childId = read.body.childId;
              for (const entry of read.body.entries) seen.add(entry.id);
            }
            break;
          }
        }
        return all.every((id) => seen.has(id)) ? true : undefined;
      },
      30_000,
      'the four records in the view',
    );
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([view?.stop(), health?.stop(), council?.stop()]);
    await issuers?.close();
    await db?.drop();
  });

  it('signs a CIS2-like clinician in as a clinician of the trust their RBAC role is at', async () => {
    await page.goto(`${view.url}/console/`);
    await page.waitForSelector('#oidc-sign-in:not([hidden])');
    // Outside development mode only the identity providers are offered: no pasted-token form.
    expect(await page.isVisible('#token-sign-in')).toBe(false);
    expect(await page.locator('#issuer option').allTextContents()).toEqual([CIS2_LABEL, ENTRA_LABEL]);

    await signInAt(page, CIS2_LABEL, 'clinician-1');
    await page.waitForSelector('#find:not([hidden])');
    const who = await page.textContent('#who-text');
    expect(who).toContain('clinician-1, clinician, urn:jigsaw:org:health:rr8');
    expect(await page.evaluate('JSON.stringify({ ...sessionStorage, ...localStorage })')).toBe('{}');
  });

  it('asks to sign in again when the token has really expired, and keeps the page as it was', async () => {
    const nhsNumber = aNhsNumber();
    const find = async () => {
      await page.fill('#identifier', nhsNumber);
      await page.press('#identifier', 'Enter');
    };
    // Signed in: the hub answers that it knows no such child (the same answer for one not shared).
    await find();
    await page.waitForSelector('#no-record:not([hidden])');
    // The token's lifetime passes: the hub refuses it now, the page stays, and the console says so.
    await page.waitForTimeout((TOKEN_SECONDS + 1) * 1000);
    await find();
    await page.waitForSelector('#alert:not([hidden]) >> text=Your sign-in has expired');
    const popup = page.waitForEvent('popup');
    await page.click('#alert button');
    // The provider's session still stands, so the new window returns a code at once.
    await popup;
    await page.waitForSelector('#status >> text=Signed in again');
    expect(await page.inputValue('#identifier')).toBe(nhsNumber);
    expect(await page.isVisible('#alert')).toBe(false);
    await find();
    await page.waitForSelector('#no-record:not([hidden])');
    expect(await page.isVisible('#alert')).toBe(false);
  });

  it('a CIS2-like clinician finds the child and sees exactly what the policy gives their role', async () => {
    // Signed in still, as the test before left it.
    const shown = await findAndCompare({
      agency: 'health',
      organisation: TRUST,
      role: 'clinician',
      userId: `${issuers.cis2.issuer}#clinician-1`,
    });
    // The trust's own two records, and the council's referral cut down; not the assessment restricted to
    // health visitors.
    expect(shown).toEqual(
      [
        [attendance, 'owner'],
        [healthOnlyConcern.id, 'owner'],
        [referral.id, 'shared'],
      ].sort(),
    );
    expect(await page.textContent('#timeline')).not.toContain('adult at home hit them');
  });

  it('signs an Entra-like social worker in by tenant and app role, recorded by their oid', async () => {
    await signOut(page);
    await signInAt(page, ENTRA_LABEL, 'social-worker-1');
    await page.waitForSelector('#find:not([hidden])');
    expect(await page.textContent('#who-text')).toContain(
      `${entraObjectId('social-worker-1')}, social worker, urn:jigsaw:org:council:leeds`,
    );
    expect(await page.locator('#purpose option').allTextContents()).toEqual(['Safeguarding']);
  });

  it('the Entra-like social worker finds the child and sees exactly what the policy gives their role', async () => {
    const shown = await findAndCompare({
      agency: 'council',
      organisation: LEEDS,
      role: 'social-worker',
      userId: `${issuers.entra.issuer}#${entraObjectId('social-worker-1')}`,
    });
    // The council's own two records, and the trust's attendance; not the concern the trust kept to health.
    expect(shown).toEqual(
      [
        [attendance, 'shared'],
        [referral.id, 'owner'],
        [restrictedAssessment.id, 'owner'],
      ].sort(),
    );
    expect(await page.textContent('#timeline')).toContain('adult at home hit them');
  });

  it('refuses an app role no mapping names, and signs nobody in', async () => {
    await signOut(page);
    await signInAt(page, ENTRA_LABEL, 'stray-role');
    await page.waitForSelector('#alert:not([hidden])');
    expect(await page.textContent('#alert')).toContain(
      'wrong or missing roles claim: it holds a value no mapping names',
    );
    expect(await page.isVisible('#find')).toBe(false);
    expect(await page.isVisible('#who')).toBe(false);
  });

  it('a clinician of a trust with no relationship to the child finds no record they may see', async () => {
    // Nobody is signed in after the refusal before.
    await signInAt(page, CIS2_LABEL, 'rhq-clinician');
    await page.waitForSelector('#find:not([hidden])');
    expect(await page.textContent('#who-text')).toContain(`rhq-clinician, clinician, ${OTHER_TRUST}`);
    await findChild(page, nhsNumber, 'safeguarding');
    const { entries, stored } = await whatThePolicyShows({
      agency: 'health',
      organisation: OTHER_TRUST,
      role: 'clinician',
      purpose: 'safeguarding',
      userId: `${issuers.cis2.issuer}#rhq-clinician`,
    });
    expect(entries).toEqual([]);
    await page.waitForSelector('#no-record:not([hidden])');
    expect(await page.textContent('#no-record-title')).toBe('No record you may see');
    expect(await page.isVisible('#child')).toBe(false);
    expect(await page.locator('#timeline li').count()).toBe(0);
    const text = (await page.textContent('#main')) ?? '';
    const recorded = stored.flatMap((event) => textsIn(event.data)).filter((t) => t.length >= 12);
    expect(recorded.length).toBeGreaterThan(0);
    expect(recorded.filter((t) => text.includes(t))).toEqual([]);
  });
});
