// The practitioners' console in a real browser (Debian's chromium driven by playwright-core): signed in as a
// school's designated safeguarding lead through the development identity provider (oidc-provider, the
// authorization code flow with PKCE, as at an agency's own), using the keyboard only, the console shows what the school may
// see and nothing more, and its pages pass axe-core's WCAG 2.2 AA checks. Screenshots are kept in
// .data/test-artifacts/console for whoever reviews the run.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repoRoot } from '@jigsaw/config';
import { SchoolCalendar } from '@jigsaw/view-model';
import {
  agencySystemToken,
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
import {
  aChild,
  aLeadPractitioner,
  aPupilOnRoll,
  HILLSIDE,
  LEEDS,
} from '../apps/notifications/src/testing/notification-events.factory.js';
import { getJson, postEvent, eventually } from './support/http.js';
import { claimAccess } from './support/access-claims.js';
import { freePort, ServiceProcess, startServices } from './support/service-process.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const ARTEFACTS = join(repoRoot(), '.data/test-artifacts/console');
const SCHOOL = HILLSIDE;
/** A development persona at another organisation of its agency: persona id, `@`, organisation. */
const DSL_ACCOUNT = `designated-safeguarding-lead@${SCHOOL}`;

/** The development identity provider as `npm start` runs it; resolves to it and the OIDC_ISSUERS trusting it. */
async function startIdentityProvider(port: number, consoleUrl: string): Promise<[ChildProcess, string]> {
  const child = spawn(
    process.execPath,
    [join(repoRoot(), 'infra/development-identity.mjs'), String(port), consoleUrl],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const issuers = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('\n')) resolve(output.trim());
    });
    child.once('exit', (code) => reject(new Error(`the identity provider exited (${code})`)));
  });
  return [child, issuers];
}

/** Signs in at the identity provider's login form, which asks only for the account, as a person would. */
async function signInAt(page: Page, issuerLabel: string, account: string): Promise<void> {
  await page.waitForSelector('#oidc-sign-in:not([hidden])');
  await tabTo(page, '#issuer');
  await page.selectOption('#issuer', { label: issuerLabel });
  await tabTo(page, '#oidc-sign-in button');
  await page.keyboard.press('Enter');
  await page.waitForSelector('input[name="login"]');
  await page.focus('input[name="login"]');
  await page.keyboard.type(account);
  await page.keyboard.press('Tab');
  await page.keyboard.type('development');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#find:not([hidden])');
}

interface AxeResult {
  violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
}

async function axeViolations(page: Page): Promise<string[]> {
  const source = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated in the page rather than added as a script tag, which the console's CSP rightly refuses.
  await page.evaluate(`${source}\n;undefined`);
  const result = await page.evaluate<AxeResult>(
    `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })`,
  );
  return result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

/** Presses Tab until the element is focused: proof that the keyboard alone reaches it. */
async function tabTo(page: Page, selector: string, most = 25): Promise<void> {
  for (let i = 0; i < most; i++) {
    if (await page.evaluate(`document.activeElement === document.querySelector(${JSON.stringify(selector)})`))
      return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

/**
 * When an incident happened such that its Operation Encompass deadline (the start of the next school day,
 * 08:30 in London) is still ahead while the inbox is checked: a minute ago, unless a school day starts in
 * the next few minutes, when the deadline is let pass first. Holidays only move a deadline later.
 */
async function anIncidentTimeWithDeadlineAhead(): Promise<string> {
  const margin = 3 * 60_000;
  const deadline = new SchoolCalendar().nextSchoolDayStart(new Date(Date.now() - 60_000));
  const untilDeadline = deadline.getTime() - Date.now();
  if (untilDeadline < margin) await sleep(Math.max(0, untilDeadline) + 61_000);
  return new Date(Date.now() - 60_000).toISOString();
}

describe('the console in a real browser', () => {
  let db: TestDatabase;
  let police: ServiceProcess;
  let education: ServiceProcess;
  let view: ServiceProcess;
  let audit: ServiceProcess | undefined;
  let council: ServiceProcess | undefined;
  let notifications: ServiceProcess | undefined;
  let browser: Browser;
  let page: Page;
  let identityProvider: ChildProcess | undefined;
  /** The school's safeguarding lead as the hub records them: the subject scoped by its issuer. */
  let dslIdentity = '';
  const child = aChild();
  const nhsNumber = child.nhsNumber;
  /** The incident the school is told of, recorded once its deadline is sure to be ahead for the whole run. */
  let shared: ReturnType<typeof anIncidentNotification>;
  const councilOnly = {
    ...anIncidentNotification({ nhsNumber, summary: 'Strategy discussion with children’s services.' }),
    sharing: aPoliceSharingDecision({ audience: [{ agency: 'council' }] }),
  };

  beforeAll(async () => {
    await mkdir(ARTEFACTS, { recursive: true });
    db = await createTestDatabase();
    const env = {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testBrokers(),
      KAFKA_TOPIC_PREFIX: uniqueTopicPrefix('console'),
    };
    // The console reads the access log from the audit service and the inbox from the notifications service,
    // which must let the console's origin in.
    const viewPort = await freePort();
    const [idp, issuers] = await startIdentityProvider(
      await freePort(),
      `http://127.0.0.1:${viewPort}/console/`,
    );
    identityProvider = idp;
    const educationIssuer = (JSON.parse(issuers) as { issuer: string; agency: string }[]).find(
      (entry) => entry.agency === 'education',
    )!;
    dslIdentity = `${educationIssuer.issuer}#${DSL_ACCOUNT}`;
    const [startedPolice, startedEducation, startedAudit, startedCouncil, startedNotifications] =
      (await startServices(
        { ...env, CORS_ORIGINS: `http://127.0.0.1:${viewPort}`, OIDC_ISSUERS: issuers },
        'police',
        'education',
        'audit',
        'council',
        'notifications',
      )) as [ServiceProcess, ServiceProcess, ServiceProcess, ServiceProcess, ServiceProcess];
    [police, education, audit, council, notifications] = [
      startedPolice,
      startedEducation,
      startedAudit,
      startedCouncil,
      startedNotifications,
    ];
    view = await ServiceProcess.start(
      'safeguarding-view',
      {
        ...env,
        CONSOLE_AUDIT_URL: startedAudit.url,
        CONSOLE_NOTIFICATIONS_URL: startedNotifications.url,
        OIDC_ISSUERS: issuers,
      },
      [],
      viewPort,
    );
    // The child is on the school's roll first, so the incident is routed to the school.
    const asSchool = { authorization: `Bearer ${agencySystemToken(HILLSIDE)}` };
    const roll = aPupilOnRoll(child, { onRollFrom: '2021-09-01' });
    expect((await postEvent(`${education.url}/v1/events`, roll, asSchool)).status).toBe(202);
    await eventually(
      async () =>
        (
          await db.pool.query(`SELECT 1 FROM view.chronology WHERE event_key = $1`, [
            `${roll.source}|${roll.id}`,
          ])
        ).rowCount
          ? true
          : undefined,
      30_000,
      'the roll in the view',
    );
    await eventually(
      async () =>
        (await db.pool.query(`SELECT 1 FROM notifications.child_history WHERE event->>'id' = $1`, [roll.id]))
          .rowCount
          ? true
          : undefined,
      30_000,
      'the roll in the notifications',
    );
    const asPolice = { authorization: `Bearer ${agencySystemToken(METROPOLITAN_POLICE)}` };
    shared = anIncidentNotification({
      nhsNumber,
      occurredAt: await anIncidentTimeWithDeadlineAhead(),
      summary: 'Police attended a domestic abuse incident at home last night; the child was present.',
    });
    for (const event of [shared, councilOnly]) {
      expect((await postEvent(`${police.url}/v1/events`, event, asPolice)).status).toBe(202);
    }
    // Wait until the view holds both records (a social worker may see both).
    const socialWorker: PractitionerClaims = {
      sub: 'sw-1',
      agency: 'council',
      organisation: 'urn:jigsaw:org:council:leeds',
      role: 'social-worker',
      purposes: ['safeguarding'],
    };
    // The council does not work with the child yet: its social worker claims access to watch the view fill.
    await claimAccess(view.url, socialWorker, nhsNumber);
    const asSocialWorker = { authorization: `Bearer ${practitionerToken(socialWorker)}` };
    let lastSeen = '';
    await eventually(
      async () => {
        const r = await getJson<{ entries: unknown[] }>(
          `${view.url}/v1/children/${nhsNumber}/chronology?purpose=safeguarding`,
          asSocialWorker,
        );
        if (r.status !== 200 || r.body.entries.length !== 3) {
          lastSeen = JSON.stringify(r.body).slice(0, 500);
          return undefined;
        }
        return true;
      },
      30_000,
      'both records in the view',
    ).catch((error: Error) => {
      throw new Error(`${error.message}; last answer ${lastSeen}`);
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    // Up to four minutes more when a school day is about to start (anIncidentTimeWithDeadlineAhead).
  }, 420_000);

  afterAll(async () => {
    await browser?.close();
    identityProvider?.kill();
    await Promise.all([
      police?.stop(),
      education?.stop(),
      view?.stop(),
      audit?.stop(),
      council?.stop(),
      notifications?.stop(),
    ]);
    await db?.drop();
  });

  it('signs a school’s safeguarding lead in at the identity provider, with the keyboard alone', async () => {
    // The service's root sends a browser to the console.
    await page.goto(`${view.url}/`);
    expect(page.url()).toBe(`${view.url}/console/`);
    await page.waitForSelector('#oidc-sign-in:not([hidden])');
    // Development mode: the pasted-token form is there too; a deployment shows only the providers.
    expect(await page.isVisible('#token-sign-in')).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(ARTEFACTS, '1-sign-in.png'), fullPage: true });

    await signInAt(page, 'Development education sign-in', DSL_ACCOUNT);
    expect(await page.textContent('#who-text')).toContain('designated safeguarding lead');
    expect(await page.textContent('#who-text')).toContain(SCHOOL);
    // The token is in memory only, and the address no longer carries the code.
    const stored = await page.evaluate('JSON.stringify({ ...sessionStorage, ...localStorage })');
    expect(stored).toBe('{}');
    expect(page.url()).toBe(`${view.url}/console/`);
  });

  it('finds the child and shows only what the school may see', async () => {
    await tabTo(page, '#identifier');
    await page.keyboard.type(nhsNumber);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#child:not([hidden]) #timeline li[data-agency="police"]');

    const timeline = await page.textContent('#timeline');
    expect(timeline).toContain('Police attended a domestic abuse incident');
    // The council-only record and the police narrative stay out of the school's view.
    expect(timeline).not.toContain('Strategy discussion');
    expect(await page.content()).not.toContain('Police-only narrative');
    expect(await page.locator('#timeline li[data-agency="police"]').count()).toBe(1);
    // The shared view, as the school may see it: its own roll, and the incident counted.
    const view = await page.textContent('#view');
    expect(view).toContain('On a school roll');
    expect(view).toMatch(/Domestic abuse incidents\s*1/);
    expect(view).not.toContain('CP-IS');
    // Focus moved to the result, for screen reader and keyboard users.
    expect(await page.evaluate('document.activeElement?.id')).toBe('child-title');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(ARTEFACTS, '2-child.png'), fullPage: true });
  });

  it('names the problem when the identifier is wrong', async () => {
    await page.fill('#identifier', '9434765918');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#alert:not([hidden])');
    expect(await page.textContent('#alert')).toContain('nhsNumber: fails the NHS number check digit');
    await page.screenshot({ path: join(ARTEFACTS, '3-problem.png'), fullPage: true });
  });

  it('works the school’s notifications inbox and acknowledges the Operation Encompass notification', async () => {
    await tabTo(page, 'nav a[data-section="notifications"]');
    await page.keyboard.press('Enter');
    const row = page.locator('#inbox tr[data-notification]');
    await eventually(
      async () => {
        if ((await row.count()) > 0) return true;
        await page.keyboard.press('Enter'); // reopen the inbox until the notification has been raised
        return undefined;
      },
      30_000,
      'the notification in the inbox',
    );
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toContain('Operation Encompass');
    expect(await row.textContent()).toContain('Open');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(ARTEFACTS, '4-inbox.png'), fullPage: true });

    // The deadline is still ahead: /metrics counts it as due, by kind only.
    const metrics = async (): Promise<string> => (await fetch(`${notifications!.url}/metrics`)).text();
    expect(await metrics()).toMatch(/^jigsaw_notifications_due\{type="operation-encompass"\} 1$/m);

    await tabTo(page, '#inbox button');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#inbox tr[data-notification] >> text=Acknowledged');
    expect(await page.textContent('#status')).toContain('acknowledged');
    const { rows } = await db.pool.query<{ by: string }>(
      `SELECT acknowledged_by->>'sub' AS by FROM notifications.notifications WHERE acknowledged_at IS NOT NULL`,
    );
    expect(rows).toEqual([{ by: dslIdentity }]);
    expect(await metrics()).not.toMatch(/^jigsaw_notifications_due\{type="operation-encompass"\} 1$/m);
    expect(await metrics()).not.toContain(nhsNumber);
    await page.screenshot({ path: join(ARTEFACTS, '4b-acknowledged.png'), fullPage: true });
  });

  it('records each look in the access log', async () => {
    const { rows } = await db.pool.query<{ view: string; role: string }>(
      `SELECT payload->'data'->'record'->>'view' AS view, payload->'data'->'record'->'viewer'->>'role' AS role
       FROM event_store.events WHERE type = 'hub.record-accessed'`,
    );
    expect(rows).toEqual(
      expect.arrayContaining([
        { view: 'find-child', role: 'designated-safeguarding-lead' },
        { view: 'chronology', role: 'designated-safeguarding-lead' },
      ]),
    );
  });

  it('shows a data protection officer who looked at the child, through the audit service', async () => {
    // Leeds now works with the child (a lead practitioner), so its data protection officer may audit them.
    const asLeeds = { authorization: `Bearer ${agencySystemToken(LEEDS)}` };
    const lead = aLeadPractitioner(child, { assignedDate: '2026-01-05' });
    expect((await postEvent(`${council!.url}/v1/events`, lead, asLeeds)).status).toBe(202);
    await tabTo(page, '#sign-out');
    await page.keyboard.press('Enter');
    // RP-initiated logout: the identity provider asks, ends its session and sends the browser back.
    await page.waitForSelector('button[value="yes"]');
    await page.click('button[value="yes"]');
    await signInAt(page, 'Development council sign-in', 'data-protection-officer');
    expect(await page.textContent('#who-text')).toContain('data protection officer');

    await tabTo(page, '#nav-access-log');
    await page.keyboard.press('Enter');
    await tabTo(page, '#access-child');
    await page.keyboard.type(nhsNumber);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#access-entries table, #alert:not([hidden])');
    expect((await page.isVisible('#alert')) ? await page.textContent('#alert') : '').toBe('');
    const log = await page.textContent('#access-entries');
    expect(log).toContain(dslIdentity);
    expect(log).toContain(SCHOOL);
    expect(log).toContain('chronology');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(ARTEFACTS, '5-access-log.png'), fullPage: true });
  });
});
