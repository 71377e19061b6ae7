// Every page a person meets — signed out, each role's pages, error pages and the Clever sandbox's sign-in
// pages — passes an axe-core scan (no serious or critical WCAG 2.1 A/AA violations), asks for no resource
// that fails, can be used by keyboard (a visible skip link first, focus that shows), and fits a 360-px phone
// and a desktop window zoomed to 200% without scrolling sideways.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestApp } from '../helpers/app';
import { PERSONAS, sectionIdOf, startSyncedApp, userIdOf } from '../web/helpers';
import {
  describeInBrowser,
  keepDocScreenshot,
  launchChromium,
  newSession,
  pageSize,
  seriousA11yViolations,
  signInAs,
  watchProblems,
  withScreenshot,
} from './browser';

const NARROW = { width: 360, height: 740 };
/** A 1280-px window at 200% zoom lays pages out in 640 CSS pixels. */
const ZOOMED = { width: 640, height: 450 };

interface Visit {
  name: string;
  path: string | (() => Promise<string>);
  /** The page's h1, to know the right page was reached. */
  heading: RegExp;
}

describeInBrowser('every page is accessible, keyboard-usable and fits small screens', () => {
  let app: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    [app, browser] = await Promise.all([startSyncedApp(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function check(page: Page, problems: string[], visit: Visit): Promise<void> {
    await withScreenshot(page, `a11y-${visit.name}`, async () => {
      const path = typeof visit.path === 'string' ? visit.path : await visit.path();
      await page.goto(path);
      await page.getByRole('heading', { level: 1, name: visit.heading }).first().waitFor();
      expect({ page: visit.name, violations: await seriousA11yViolations(page) }).toEqual({
        page: visit.name,
        violations: [],
      });
      await keyboardCheck(page, visit.name);
      await keepDocScreenshot(page, visit.name);
      for (const viewport of [NARROW, ZOOMED]) {
        await page.setViewportSize(viewport);
        const size = await pageSize(page);
        expect({ page: visit.name, viewport, scrollWidth: size.scrollWidth }).toEqual({
          page: visit.name,
          viewport,
          scrollWidth: size.width,
        });
      }
      await page.setViewportSize({ width: 1280, height: 900 });
      expect({ page: visit.name, problems }).toEqual({ page: visit.name, problems: [] });
    });
  }

  /** The first Tab lands on a visible "Skip to content" link with a visible focus ring; it moves focus to main. */
  async function keyboardCheck(page: Page, name: string): Promise<void> {
    await page.evaluate('document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)');
    await page.keyboard.press('Tab');
    const first = (await page.evaluate(`(() => {
      const el = document.activeElement;
      const style = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      return { text: el.textContent.trim(), outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth),
               visible: box.width > 0 && box.height > 0 && box.top >= 0 && box.left >= 0 };
    })()`)) as { text: string; outline: string; outlineWidth: number; visible: boolean };
    expect({ page: name, ...first }).toEqual({
      page: name,
      text: 'Skip to content',
      outline: 'solid',
      outlineWidth: expect.any(Number),
      visible: true,
    });
    expect(first.outlineWidth).toBeGreaterThanOrEqual(2);
    await page.keyboard.press('Enter');
    const inMain = await page.evaluate(
      "Boolean(document.activeElement && document.activeElement.closest('main'))",
    );
    expect({ page: name, focusIsInMain: inMain }).toEqual({ page: name, focusIsInMain: true });
  }

  async function session(
    cleverUserId?: string,
  ): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
    const context = await newSession(browser, app);
    const page = await context.newPage();
    const problems = watchProblems(page);
    if (cleverUserId) await signInAs(context, page, cleverUserId);
    return { context, page, problems };
  }

  it('signed out: the start page, a missing page and a failed sign-in', async () => {
    const { context, page, problems } = await session();
    await check(page, problems, { name: 'home', path: '/', heading: /Your classes, ready/ });
    await check(page, problems, { name: 'not-found', path: '/no-such-page', heading: /Not found/ });
    // A refused sign-in answers 403 on purpose: that document's status is not a resource failure.
    await check(page, problems, {
      name: 'sign-in-refused',
      path: '/auth/clever/callback?code=abc&state=forged',
      heading: /Something went wrong/,
    });
    await context.close();
  });

  it("the Clever sandbox's sign-in pages, with no failing requests", async () => {
    const { context, page, problems } = await session();
    const start = await context.request.get('/auth/clever', { maxRedirects: 0 });
    const authorize = new URL(start.headers().location!);
    const pickDistrict = new URL(authorize);
    pickDistrict.searchParams.delete('district_id');
    await check(page, problems, {
      name: 'sandbox-districts',
      path: pickDistrict.toString(),
      heading: /Log in with Clever/,
    });
    const pickUser = new URL(authorize);
    pickUser.searchParams.set('district_id', PERSONAS.districtId);
    await check(page, problems, {
      name: 'sandbox-sign-in',
      path: pickUser.toString(),
      heading: /Log in with Clever|Sandbox/,
    });
    await context.close();
  });

  it("a student's classes and the page they may not open", async () => {
    const { context, page, problems } = await session(PERSONAS.student);
    await check(page, problems, { name: 'student-classes', path: '/dashboard', heading: /Hello/ });
    await check(page, problems, {
      name: 'forbidden',
      path: '/admin/roster',
      heading: /cannot open this page/,
    });
    await context.close();
  });

  it("a teacher's classes and group pages", async () => {
    const { context, page, problems } = await session(PERSONAS.teacher);
    await check(page, problems, {
      name: 'teacher-classes',
      path: '/dashboard?view=teacher',
      heading: /Hello/,
    });
    const section = await sectionIdOf(app, PERSONAS.coTaughtSection);
    await check(page, problems, {
      name: 'teacher-new-groups',
      path: `/groups/new?section=${section}`,
      heading: /./,
    });
    await context.close();
  });

  it("school staff's overview and roster", async () => {
    const { context, page, problems } = await session(PERSONAS.staff);
    await check(page, problems, { name: 'staff-overview', path: '/admin', heading: /./ });
    await check(page, problems, { name: 'staff-roster', path: '/admin/roster', heading: /Roster of/ });
    await context.close();
  });

  it("a district admin's overview, roster, person, section, sync and run pages", async () => {
    const { context, page, problems } = await session(PERSONAS.districtAdmin);
    await check(page, problems, { name: 'admin-overview', path: '/admin', heading: /Sandbox ISD/ });
    await check(page, problems, { name: 'admin-roster', path: '/admin/roster', heading: /Roster of/ });
    await check(page, problems, {
      name: 'admin-roster-sections',
      path: '/admin/roster?view=sections',
      heading: /Roster of/,
    });
    await check(page, problems, {
      name: 'admin-person',
      path: async () => `/admin/people/${await userIdOf(app, PERSONAS.student)}`,
      heading: /Steve Ziemann/,
    });
    await check(page, problems, {
      name: 'admin-section',
      path: async () => `/admin/sections/${await sectionIdOf(app, PERSONAS.coTaughtSection)}`,
      heading: /./,
    });
    await check(page, problems, { name: 'admin-sync', path: '/admin/sync', heading: /Sync health/ });
    const run = await app.db.prisma.syncRun.findFirstOrThrow({
      where: { district: { cleverId: PERSONAS.districtId } },
      orderBy: { createdAt: 'desc' },
    });
    await check(page, problems, {
      name: 'admin-sync-run',
      path: `/admin/sync/runs/${run.id}`,
      heading: /Sync run/,
    });
    await context.close();
  });
});
