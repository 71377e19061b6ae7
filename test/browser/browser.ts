// Browser tests drive Debian's Chromium (never a downloaded browser) through playwright-core against the real
// app and sandbox on loopback. Without /usr/bin/chromium they skip with a clear message (CI installs it).
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { TestApp } from '../helpers/app';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = fs.existsSync(CHROMIUM);
const RESULTS = path.resolve(__dirname, '../../test-results');

/** `describe` that skips, saying why, when Chromium is missing. */
export function describeInBrowser(name: string, fn: () => void): void {
  if (hasChromium) return describe(name, fn);
  describe(name, () => {
    it.skip(`skipped: ${CHROMIUM} is missing (apt-get install chromium)`, () => undefined);
  });
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 900 };

export async function newSession(
  browser: Browser,
  app: TestApp,
  viewport = DESKTOP,
): Promise<BrowserContext> {
  // bypassCSP lets the accessibility scan add axe-core to a page; the app's own pages never need it.
  const context = await browser.newContext({ baseURL: app.url, viewport, bypassCSP: true });
  context.setDefaultTimeout(15_000);
  // Nothing beyond loopback: any other host is a test failure, not a network call.
  await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
  return context;
}

/** Signs in as a sandbox user: the app's /auth/clever, the sandbox's authorize step with `user=`, the callback. */
export async function signInAs(context: BrowserContext, page: Page, cleverUserId: string): Promise<void> {
  const start = await context.request.get('/auth/clever', { maxRedirects: 0 });
  const authorize = new URL(start.headers().location!);
  authorize.searchParams.set('user', cleverUserId);
  await page.goto(authorize.toString());
}

/** A new browser session signed in as a sandbox user, with its page. */
export async function signedInPage(
  browser: Browser,
  app: TestApp,
  cleverUserId: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newSession(browser, app);
  const page = await context.newPage();
  await signInAs(context, page, cleverUserId);
  return { context, page };
}

/** Runs a test step and keeps a screenshot in test-results/ when it fails. */
export async function withScreenshot<T>(page: Page, name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    fs.mkdirSync(RESULTS, { recursive: true });
    await page
      .screenshot({ path: path.join(RESULTS, `${name.replace(/\W+/g, '-')}.png`), fullPage: true })
      .catch(() => undefined);
    throw err;
  }
}

/** The page's visible width, full scroll width and height (evaluated in the browser). */
export async function pageSize(page: Page): Promise<{ width: number; scrollWidth: number; height: number }> {
  return (await page.evaluate(
    '({ width: document.documentElement.clientWidth, scrollWidth: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight })',
  )) as { width: number; scrollWidth: number; height: number };
}

/** Screenshots for people to look at (SCREENSHOTS=1), desktop and phone. */
export async function keepScreenshot(page: Page, name: string, maxHeight = 2400): Promise<void> {
  if (!process.env.SCREENSHOTS) return;
  fs.mkdirSync(RESULTS, { recursive: true });
  const size = await pageSize(page);
  const clip = { x: 0, y: 0, width: size.width, height: Math.min(size.height, maxHeight) };
  await page.screenshot({ path: path.join(RESULTS, `${name}.png`), fullPage: true, clip });
}

const AXE = require.resolve('axe-core/axe.min.js');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** Runs axe-core (WCAG 2.0/2.1 A and AA rules) on the page; answers the serious and critical violations. */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: AXE });
  const found = (await page.evaluate(`axe
    .run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
    .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) })))`)) as AxeViolation[];
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Console errors and failed (4xx/5xx) resource requests of a page, collected while it is used. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (msg) => {
    // Chromium also logs a page's own error status (a 404 page is meant to answer 404): the failed
    // resources themselves are caught below, with their URLs.
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) {
      problems.push(`console: ${msg.text()}`);
    }
  });
  page.on('response', (res) => {
    if (res.status() >= 400 && res.request().resourceType() !== 'document') {
      problems.push(`${res.status()} ${res.url()}`);
    }
  });
  return problems;
}

/** Screenshots kept in docs/screenshots/ for the README (SCREENSHOTS=1 regenerates them). */
export async function keepDocScreenshot(page: Page, name: string, maxHeight = 1000): Promise<void> {
  if (!process.env.SCREENSHOTS) return;
  const dir = path.resolve(__dirname, '../../docs/screenshots');
  fs.mkdirSync(dir, { recursive: true });
  const size = await pageSize(page);
  const clip = { x: 0, y: 0, width: size.width, height: Math.min(size.height, maxHeight) };
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true, clip });
}
