// The console signs practitioners in as a deployment does: outside development mode, through two real
// OpenID providers (panva's oidc-provider) configured like NHS CIS2 (national RBAC codes in
// nhsid_nrbac_roles) and like Microsoft Entra ID (app roles in `roles`, the tenant in `tid`, the person in
// `oid`), in headless Chromium through the authorization code flow with PKCE. The CIS2-like issuer's
// access tokens live 6 s and are checked with no clock tolerance, so the console meets a token that has
// really expired, and signs in again without losing the page.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium, type Browser, type Page } from 'playwright-core';
import { aNhsNumber, createTestDatabase, type TestDatabase } from '@jigsaw/testing';
import {
  cis2Entry,
  entraEntry,
  entraObjectId,
  startTwoIssuers,
  type TwoIssuers,
} from '../libs/auth/src/testing/issuers.factory.js';
import { deploymentEnv } from './support/deployment.js';
import { freePort, ServiceProcess } from './support/service-process.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const TOKEN_SECONDS = 6;
const CIS2_LABEL = 'NHS Care Identity Service 2';
const ENTRA_LABEL = 'Leeds City Council';

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
  let browser: Browser;
  let page: Page;

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
    view = await ServiceProcess.start(
      'safeguarding-view',
      deploymentEnv(db, 'console-sign-in', [
        cis2Entry(issuers.cis2.issuer, undefined, {
          ...consoleClient(CIS2_LABEL, 'openid nationalrbacaccess'),
          clockToleranceSeconds: 0,
        }),
        entraEntry(issuers.entra.issuer, undefined, consoleClient(ENTRA_LABEL)),
      ]),
      [],
      port,
    );
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await view?.stop();
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

  it('signs an Entra-like social worker in by tenant and app role, recorded by their oid', async () => {
    await signOut(page);
    await signInAt(page, ENTRA_LABEL, 'social-worker-1');
    await page.waitForSelector('#find:not([hidden])');
    expect(await page.textContent('#who-text')).toContain(
      `${entraObjectId('social-worker-1')}, social worker, urn:jigsaw:org:council:leeds`,
    );
    expect(await page.locator('#purpose option').allTextContents()).toEqual(['Safeguarding']);
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
});
