// A teacher in a real browser: their classes with students and co-teachers, and a reading group made from one.
import type { Browser, Page } from 'playwright-core';
import type { TestApp } from '../helpers/app';
import { PERSONAS, startSyncedApp } from '../web/helpers';
import { describeInBrowser, keepScreenshot, launchChromium, signedInPage, withScreenshot } from './browser';

describeInBrowser('a teacher in the browser', () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    [app, browser] = await Promise.all([startSyncedApp(), launchChromium()]);
    ({ page } = await signedInPage(browser, app, PERSONAS.teacher));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('shows the classes the teacher teaches, with students and co-teachers', async () => {
    await withScreenshot(page, 'teacher-dashboard', async () => {
      await page.getByRole('heading', { name: 'Classes I teach' }).waitFor();
      const coTaught = app.sandbox.store.getSection(PERSONAS.coTaughtSection)!;
      const card = page.locator('section.card', { has: page.getByRole('heading', { name: coTaught.name }) });
      expect(await card.innerText()).toMatch(/\(co-teacher\)/);
      expect(await card.getByRole('heading', { name: /Students \(\d+\)/ }).count()).toBe(1);
    });
  });

  it('splits a class into a reading group that lists the chosen students', async () => {
    await withScreenshot(page, 'teacher-new-group', async () => {
      const coTaught = app.sandbox.store.getSection(PERSONAS.coTaughtSection)!;
      const card = page.locator('section.card', { has: page.getByRole('heading', { name: coTaught.name }) });
      await card.getByRole('link', { name: 'Make groups from this class' }).click();
      await page.getByRole('heading', { level: 1, name: `New group from ${coTaught.name}` }).waitFor();
      await page.getByLabel('Group name').fill('Reading group A');
      const boxes = page.getByRole('group', { name: 'Students in the group' }).getByRole('checkbox');
      const names = [await labelOf(page, boxes.nth(0)), await labelOf(page, boxes.nth(1))];
      await boxes.nth(0).check();
      await boxes.nth(1).check();
      await keepScreenshot(page, 'group-new-desktop');
      await page.getByRole('button', { name: 'Create group' }).click();
      await page.getByRole('heading', { level: 1, name: 'Reading group A' }).waitFor();
      const members = await page.locator('ul.members').innerText();
      for (const name of names) expect(members).toContain(name);
      await page.getByRole('link', { name: '← My classes' }).click();
      await page.getByRole('link', { name: 'Reading group A' }).waitFor();
    });
  });
});

async function labelOf(page: Page, box: ReturnType<Page['getByRole']>): Promise<string> {
  const id = await box.getAttribute('id');
  return page.locator(`label[for="${id}"]`).innerText();
}
