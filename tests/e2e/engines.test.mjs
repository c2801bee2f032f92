// The smoke test in every engine readers use, not only Chromium: Firefox ESR (geckodriver) and
// WebKitGTK, Safari's engine (WebKitWebDriver driving its MiniBrowser), over W3C WebDriver with
// selenium-webdriver. Each engine gets: the prerendered first paint with the module held back,
// the default page under the strict CSP, the context slider (chart, sentence and link follow),
// a share link that reopens its view, and an embed with one chart and one control.
// Drivers and browsers come from the set-up script (Debian's firefox-esr, webkit2gtk-driver
// and xvfb; geckodriver from crates.io); the drivers are started here on free ports, so
// selenium never looks for a driver of its own.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync } from 'node:fs';
import { Builder, By } from 'selenium-webdriver';
import { serve } from './lib.mjs';

const HOME_BIN = `${process.env.HOME}/.cargo/bin`;
const which = (cmd, extra = []) => {
  for (const dir of [...extra, ...(process.env.PATH || '').split(':')]) {
    if (existsSync(`${dir}/${cmd}`)) return `${dir}/${cmd}`;
  }
  return null;
};
const MINIBROWSER = ['/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser', '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser'].find(existsSync);

const ENGINES = {
  firefox: {
    driver: () => which('geckodriver', [HOME_BIN]),
    args: (port) => ['--port', String(port)],
    caps: {
      browserName: 'firefox',
      'moz:firefoxOptions': { binary: which('firefox-esr') || which('firefox'), args: ['-headless', '-width=1280', '-height=900'] },
    },
  },
  webkit: {
    driver: () => which('WebKitWebDriver'),
    args: (port) => [`--port=${port}`],
    caps: {
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
    },
  },
};

const freePort = () =>
  new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });

/** Starts a WebDriver server and waits until it answers /status. */
async function startDriver(name) {
  const e = ENGINES[name];
  const bin = e.driver();
  assert.ok(bin, `${name}: its WebDriver is not installed (scripts/setup.sh test installs it)`);
  const port = await freePort();
  const proc = spawn(bin, e.args(port), { stdio: ['ignore', 'ignore', 'pipe'], env: process.env });
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr += d));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`${url}/status`).then((r) => r.ok, () => false);
    if (ok) return { url, stop: () => proc.kill(), log: () => stderr };
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill();
  throw new Error(`${name}: ${bin} did not start: ${stderr}`);
}

let app;
let held;
let xvfb;
before(async () => {
  app = await serve({ csp: true });
  held = await serve({ csp: true, holdWasm: true });
  // WebKit's MiniBrowser draws even when headless through GTK: give it a display if there is none.
  if (!process.env.DISPLAY && which('Xvfb')) {
    const display = ':' + (90 + (process.pid % 9));
    xvfb = spawn('Xvfb', [display, '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
    process.env.DISPLAY = display;
    await new Promise((r) => setTimeout(r, 500));
  }
});
after(async () => {
  await app?.close();
  await held?.close();
  xvfb?.kill();
});

/** Text of the first element matching `css`. */
const text = (driver, css) => driver.findElement(By.css(css)).then((e) => e.getText());
/** Waits until `fn` (run in the page) returns true. */
const waitFor = (driver, fn, what, ms = 20000, ...args) =>
  driver.wait(() => driver.executeScript(fn, ...args), ms, `timed out waiting for ${what}`);
/** The app has mounted: its first chart is drawn and its settings are on the page. */
const mounted = (driver) =>
  waitFor(driver, 'return !!document.querySelector("figure.chart .svg-host svg") && !document.getElementById("prerender") && !!document.querySelector(".controls .panel, .layout.no-controls")', 'the app to mount');

for (const name of Object.keys(ENGINES)) {
  test(`${name}: first paint, strict CSP, slider, share link and embed`, async () => {
    const drv = await startDriver(name);
    let driver;
    try {
      driver = await new Builder().usingServer(drv.url).withCapabilities(ENGINES[name].caps).build();
      await driver.manage().setTimeouts({ pageLoad: 20000, script: 10000 });

      // 1. The prerendered first view, while the module is still downloading.
      await driver.manage().setTimeouts({ pageLoad: 3000 });
      await driver.get(`${held.origin}/`).catch(() => {}); // the held module keeps `load` from firing
      await driver.manage().setTimeouts({ pageLoad: 20000 });
      const pre = await driver.executeScript(`
        const svg = [...document.querySelectorAll('#prerender #chart-memory .svg-host svg')]
          .find((s) => s.getBoundingClientRect().width > 0 && getComputedStyle(s.parentElement).display !== 'none');
        return { chart: !!svg, summary: document.querySelector('#prerender #chart-memory .summary')?.textContent || '' };`);
      assert.ok(pre.chart, `${name}: the prerendered chart is visible before the module arrives`);
      assert.match(pre.summary, /122,533 tokens/, `${name}: the prerendered sentence`);

      // 2. The default page mounts under the strict CSP, with the same sentence.
      await driver.get(`${app.origin}/`);
      await mounted(driver);
      assert.match(await text(driver, '#chart-memory .summary'), /122,533 tokens/);
      await driver.wait(async () => (await driver.findElements(By.css('figure.chart .svg-host svg'))).length === 6, 10000, 'all six charts');

      // 3. The context slider: the sentence and the address follow.
      await driver.executeScript(`
        const el = document.getElementById('ctx');
        el.value = '300';
        el.dispatchEvent(new Event('input', { bubbles: true }));`);
      await waitFor(driver, 'return /ctx=/.test(location.search)', 'the link to follow the slider', 5000);
      const moved = await driver.getCurrentUrl();
      const summary = await text(driver, '#chart-memory .summary');
      assert.doesNotMatch(summary, /^At 8,192 tokens/, `${name}: the sentence follows the slider`);

      // 4. That link reopens the same view.
      await driver.get(moved);
      await mounted(driver);
      assert.equal(await text(driver, '#chart-memory .summary'), summary, `${name}: the link reopens the view`);
      await driver.get(`${app.origin}/?model=deepseek-v3&ctx=32k`);
      await mounted(driver);
      await waitFor(driver, 'return document.title.startsWith("DeepSeek-V3")', 'the tab title to name the model', 5000);

      // 5. An embed: one chart, one control, no page chrome.
      await driver.get(`${app.origin}/?embed=1&view=memory&controls=ctx`);
      await mounted(driver);
      assert.equal((await driver.findElements(By.css('header.top'))).length, 0, `${name}: no header in an embed`);
      assert.equal((await driver.findElements(By.css('figure.chart'))).length, 1);
      assert.equal((await driver.findElements(By.css('#ctx'))).length, 1);
      assert.equal((await driver.findElements(By.css('#model'))).length, 0);
    } catch (e) {
      e.message += `\n${name} driver log:\n${drv.log().slice(-2000)}`;
      throw e;
    } finally {
      await driver?.quit().catch(() => {});
      drv.stop();
    }
  });
}
