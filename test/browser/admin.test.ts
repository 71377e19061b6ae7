// A district admin in a real browser: the roster, a search, a person's page, and a held sync approved.
import type { Browser, Page } from 'playwright-core';
import { startWorkers } from '../../src/jobs/workers';
import type { TestApp } from '../helpers/app';
import { PERSONAS, startSyncedApp } from '../web/helpers';
import {
  PHONE,
  describeInBrowser,
  keepScreenshot,
  launchChromium,
  newSession,
  pageSize,
  signInAs,
  signedInPage,
  withScreenshot,
} from './browser';

describeInBrowser('a district admin in the browser', () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    [app, browser] = await Promise.all([startSyncedApp(), launchChromium()]);
    await startWorkers(app.services);
    ({ page } = await signedInPage(browser, app, PERSONAS.districtAdmin));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('finds a student by name on the roster and opens their page, the name in no URL the browser visits', async () => {
    const urls: string[] = [];
    page.on('request', (req) => urls.push(req.url()));
    await withScreenshot(page, 'admin-roster-search', async () => {
      await page.getByRole('link', { name: 'Roster', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Roster of Sandbox ISD' }).waitFor();
      await keepScreenshot(page, 'roster-desktop');
      await page.getByLabel('Search by name, email or sis_id').fill('steve ziemann');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByText('1 person match').waitFor();
      await page.getByRole('link', { name: 'Steve Ziemann' }).click();
      await page.getByRole('heading', { level: 1, name: 'Steve Ziemann' }).waitFor();
      await page.getByText('Matched to Clever').waitFor();
      expect(await page.locator('dl.facts').first().innerText()).toMatch(/Student/);
      await page.goBack();
      await page.getByText('1 person match').waitFor();
      const history = (await page.evaluate('history.length')) as number;
      expect(history).toBeGreaterThan(1);
    });
    expect(urls.some((u) => u.includes('/admin/roster?search='))).toBe(true);
    for (const url of urls) {
      const decoded = decodeURIComponent(url.replace(/\+/g, ' '));
      const base64 = [...new URL(url).searchParams.values()]
        .map((v) => Buffer.from(v, 'base64url').toString('utf8'))
        .join(' ');
      expect(`${decoded} ${base64}`).not.toMatch(/steve|ziemann/i);
    }
  });

  it('holds a sync that would archive most students, shows what it would archive, and applies it on approval', async () => {
    await withScreenshot(page, 'admin-approve-held-sync', async () => {
      const before = await app.db.prisma.user.count({
        where: { archivedAt: null, roles: { has: 'student' } },
      });
      app.sandbox.store.shrink(PERSONAS.districtId, 0.6);
      await page.getByRole('link', { name: 'Sync', exact: true }).click();
      await page.getByRole('button', { name: 'Sync now' }).click();
      // The run page follows the run (public/sync-progress.js, no meta refresh) until it finishes.
      expect(await page.locator('meta[http-equiv="refresh"]').count()).toBe(0);
      await page.getByText('Held for review').first().waitFor({ timeout: 30_000 });
      await page.getByText(/Read: \d+ pages read, [\d,]+ records read/).waitFor();
      await page.goto('/admin/sync');
      await page.getByRole('heading', { name: 'A sync is held for your review' }).waitFor();
      expect(await page.locator('table').first().innerText()).toMatch(/Archive\s+user/);
      await keepScreenshot(page, 'sync-desktop');
      expect(await app.db.prisma.user.count({ where: { archivedAt: null, roles: { has: 'student' } } })).toBe(
        before,
      );
      await page.getByRole('button', { name: 'Approve and archive' }).click();
      await page.getByText('Approved', { exact: true }).first().waitFor();
      const after = await app.db.prisma.user.count({
        where: { archivedAt: null, roles: { has: 'student' } },
      });
      expect(after).toBeLessThan(before * 0.6);
    });
  });

  it('reads well on a phone', async () => {
    const phone = await newSession(browser, app, PHONE);
    const small = await phone.newPage();
    await withScreenshot(small, 'admin-phone', async () => {
      await signInAs(phone, small, PERSONAS.districtAdmin);
      await small.goto('/admin/roster');
      await keepScreenshot(small, 'roster-phone', 1500);
      const scrollWidth = (await pageSize(small)).scrollWidth;
      expect(scrollWidth).toBeLessThanOrEqual(PHONE.width);
      await small.goto('/admin/sync');
      await keepScreenshot(small, 'sync-phone', 1500);
      expect((await pageSize(small)).scrollWidth).toBeLessThanOrEqual(PHONE.width);
    });
    await phone.close();
  });
});
