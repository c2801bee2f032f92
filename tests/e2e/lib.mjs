// Shared helpers for the end-to-end tests and the benchmark: Debian's Chromium through
// playwright-core, the project's own static server, and a page wrapper that records every
// console error, page error and failed request so each test can fail on any of them.
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../scripts/serve.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST = join(ROOT, 'dist');
export const SHOTS = join(ROOT, 'target', 'screenshots');
mkdirSync(SHOTS, { recursive: true });

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    headless: true,
  });
}

/** Starts dist/ on a free 127.0.0.1 port. */
export async function serve(opts = {}) {
  const server = await startServer({ port: 0, root: DIST, ...opts });
  const { port } = server.address();
  const close = () =>
    new Promise((ok) => {
      server.close(ok);
      server.closeAllConnections(); // held requests (holdWasm) would keep it open
    });
  return { server, origin: `http://127.0.0.1:${port}`, close };
}

/**
 * For a test file: starts dist/ and Chromium before its tests and stops both after them.
 * `env.browser` and `env.origin` are set once the tests run.
 */
export function useBrowserAndServer() {
  const env = {};
  before(async () => {
    env.srv = await serve();
    env.origin = env.srv.origin;
    env.browser = await launch();
  });
  after(async () => {
    await env.browser?.close();
    await env.srv?.close();
  });
  return env;
}

/** A page that records problems. `problems()` lists console errors, page errors, failed requests. */
export async function watchedPage(browser, { width = 1280, height = 900, colorScheme = 'light', context } = {}) {
  const ctx = context || (await browser.newContext({ viewport: { width, height }, colorScheme, acceptDownloads: true }));
  const page = await ctx.newPage();
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return { page, ctx, problems: () => problems.slice() };
}

/** Waits until the app has rendered its first chart and then its settings (a staged render). */
export async function ready(page) {
  // The app, not the first view drawn before it mounts (`#prerender`).
  await page.waitForSelector('#app > .app:not(.prerender) figure.chart .svg-host svg', { timeout: 20000 });
  await page.waitForFunction(() => document.querySelector('.controls .panel, #app > .app:not(.prerender) .layout.no-controls'), null, { timeout: 20000 });
}

export async function shot(page, name) {
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Sets a range input by keyboard-free means (value + input event), like a drag would. */
export async function setRange(page, selector, value) {
  await page.$eval(selector, (el, v) => {
    el.value = String(v);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
}
