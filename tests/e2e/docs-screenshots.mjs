// Regenerates the README's screenshots from the release dist/ (`make screenshots`): the main
// view (Llama-3.1-70B in Q4_K_M at 32k tokens, 1280 × 900) and the embed builder, open.
import { join } from 'node:path';
import { launch, serve, ready, ROOT } from './lib.mjs';

const srv = await serve();
const browser = await launch();
try {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
  const page = await ctx.newPage();
  await page.goto(`${srv.origin}/?model=llama-3.1-70b&weights=q4_k_m&ctx=32k`);
  await ready(page);
  await page.waitForSelector('#chart-isoflop .svg-host svg');
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(ROOT, 'docs', 'screenshot.png') });
  await page.click('#embed summary');
  await page.locator('[data-testid=embed-height-help]', { hasText: 'measured' }).waitFor({ timeout: 15000 });
  await page.locator('#embed').screenshot({ path: join(ROOT, 'docs', 'embed-builder.png') });
  console.log('docs/screenshot.png and docs/embed-builder.png written');
} finally {
  await browser.close();
  await srv.close();
}
