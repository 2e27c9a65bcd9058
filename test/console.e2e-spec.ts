// The practitioners' console in a real browser (Debian's chromium driven by playwright-core): signed in as a
// school's designated safeguarding lead, using the keyboard only, the console shows what the school may
// see and nothing more, and its pages pass axe-core's WCAG 2.2 AA checks. Screenshots are kept in
// .data/test-artifacts/console for whoever reviews the run.
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repoRoot } from '@jigsaw/config';
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
  type TestDatabase,
} from '@jigsaw/testing';
import { eventually, getJson, postJson } from './support/http.js';
import { freePort, ServiceProcess, startServices } from './support/service-process.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const ARTEFACTS = join(repoRoot(), '.data/test-artifacts/console');
const SCHOOL = 'urn:jigsaw:org:education:school-100001';

interface AxeResult {
  violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
}

async function axeViolations(page: Page): Promise<string[]> {
  const source = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.addScriptTag({ content: source });
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

describe('the console in a real browser', () => {
  let db: TestDatabase;
  let police: ServiceProcess;
  let view: ServiceProcess;
  let audit: ServiceProcess | undefined;
  let browser: Browser;
  let page: Page;
  const nhsNumber = aNhsNumber();
  const shared = anIncidentNotification({
    nhsNumber,
    summary: 'Police attended a domestic abuse incident at home last night; the child was present.',
  });
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
    // The console reads the access log from the audit service, which must let the console's origin in.
    const viewPort = await freePort();
    const [startedPolice, startedAudit] = (await startServices(
      { ...env, CORS_ORIGINS: `http://127.0.0.1:${viewPort}` },
      'police',
      'audit',
    )) as [ServiceProcess, ServiceProcess];
    [police, audit] = [startedPolice, startedAudit];
    view = await ServiceProcess.start(
      'safeguarding-view',
      { ...env, CONSOLE_AUDIT_URL: startedAudit.url },
      [],
      viewPort,
    );
    const asPolice = { authorization: `Bearer ${agencySystemToken(METROPOLITAN_POLICE)}` };
    for (const event of [shared, councilOnly]) {
      expect((await postJson(`${police.url}/v1/events`, event, asPolice)).status).toBe(202);
    }
    // Wait until the view holds both records (a social worker may see both).
    const asSocialWorker = {
      authorization: `Bearer ${practitionerToken({
        sub: 'sw-1',
        agency: 'council',
        organisation: 'urn:jigsaw:org:council:leeds',
        role: 'social-worker',
        purposes: ['safeguarding'],
      })}`,
    };
    let lastSeen = '';
    await eventually(
      async () => {
        const r = await getJson<{ entries: unknown[] }>(
          `${view.url}/v1/children/${nhsNumber}/chronology?purpose=safeguarding`,
          asSocialWorker,
        );
        if (r.status !== 200 || r.body.entries.length !== 2) {
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
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([police?.stop(), view?.stop(), audit?.stop()]);
    await db?.drop();
  });

  it('signs a school’s safeguarding lead in with the keyboard alone', async () => {
    await page.goto(`${view.url}/console/`);
    await page.waitForSelector('#dev-sign-in:not([hidden])');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(ARTEFACTS, '1-sign-in.png'), fullPage: true });

    await tabTo(page, '#persona');
    await page.keyboard.press('ArrowDown'); // the second persona: the designated safeguarding lead
    await tabTo(page, '#organisation');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(SCHOOL);
    await page.keyboard.press('Enter');

    await page.waitForSelector('#find:not([hidden])');
    expect(await page.textContent('#who-text')).toContain('designated safeguarding lead');
    expect(await page.textContent('#who-text')).toContain(SCHOOL);
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
    expect(await page.locator('#timeline li').count()).toBe(1);
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

  it('records each look in the access log', async () => {
    const { rows } = await db.pool.query<{ view: string; role: string }>(
      `SELECT payload->'data'->>'view' AS view, payload->'data'->'viewer'->>'role' AS role
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
    await tabTo(page, '#sign-out');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#sign-in:not([hidden])');
    await tabTo(page, '#persona');
    await page.selectOption('#persona', { label: 'Data protection officer, council' });
    await tabTo(page, '#organisation');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#find:not([hidden])');

    await tabTo(page, '#nav-access-log');
    await page.keyboard.press('Enter');
    await tabTo(page, '#access-child');
    await page.keyboard.type(nhsNumber);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#access-entries table, #alert:not([hidden])');
    expect((await page.isVisible('#alert')) ? await page.textContent('#alert') : '').toBe('');
    const log = await page.textContent('#access-entries');
    expect(log).toContain('console-designated-safeguarding-lead');
    expect(log).toContain(SCHOOL);
    expect(log).toContain('chronology');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(ARTEFACTS, '5-access-log.png'), fullPage: true });
  });
});
