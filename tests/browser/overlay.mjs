#!/usr/bin/env node
// The live preview in a real browser: `plainsight serve` on a scratch site, one page open in
// headless Chromium. A saved mistake must show the error overlay on the open page (with the
// file:line:col), pass axe-core and take keyboard focus; the fix must reload the page with
// the overlay gone and the fixed text in place.
//
//   node overlay.mjs --bin <plainsight> --root <site> --doc <path under content/> --marker <text>
//
// Prints `overlay: ok (<n> checks)` and exits 0, or `overlay: FAIL <reason>` and exits 1.
// Network: the server listens on 127.0.0.1 only; the browser may reach nothing else.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { launch, serve } from './harness.mjs';

const fail = (msg) => { console.log(`overlay: FAIL ${msg}`); process.exitCode = 1; };
const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
for (const k of ['bin', 'root', 'doc', 'marker']) {
  if (!args[k]) { console.log('usage: node overlay.mjs --bin B --root R --doc D --marker M'); process.exit(2); }
}
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const { chromium } = await import('playwright-core');

const file = path.join(args.root, 'content', args.doc);
const good = fs.readFileSync(file, 'utf8');
let server;
let browser;
let checks = 0;
const check = (ok, what) => { checks++; if (!ok) throw new Error(what); };

try {
  let url;
  ({ server, url } = await serve(args.bin, args.root));
  const origin = new URL(url).origin;
  const pageUrl = new URL(args.doc.replace(/\.md$/, '/'), url).href;

  browser = await launch(chromium);
  const context = await browser.newContext();
  context.setDefaultTimeout(20_000);
  await context.route((u) => u.origin !== origin, (route) => route.abort('blockedbyclient'));
  const page = await context.newPage();
  await page.goto(pageUrl);
  check(await page.locator('#plainsight-build-error').count() === 0, 'an overlay before any error');

  // A mistake: a link to a document that does not exist.
  fs.writeFileSync(file, good.replace('\n## ', '\nSee [nothing](doc:no-such-document).\n\n## '));
  const overlay = page.locator('#plainsight-build-error');
  await overlay.waitFor({ state: 'visible' });
  const text = await overlay.innerText();
  check(/content\/\S+\.md:\d+:\d+/.test(text), `the overlay names no file:line:col:\n${text}`);
  check(text.includes('no-such-document'), `the overlay does not show the error:\n${text}`);
  check(await overlay.getAttribute('role') === 'alert', 'the overlay is not an alert');
  check(await page.locator(`text=${args.marker}`).count() === 0, 'the broken text is served');

  // The overlay is accessible (axe) and its report can be reached with the keyboard.
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(() => window.axe.run('#plainsight-build-error',
    { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } }));
  check(result.violations.length === 0,
    `axe: ${result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`).join('; ')}`);
  let reached = false;
  for (let i = 0; i < 5 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement?.closest('#plainsight-build-error') !== null);
  }
  check(reached, 'Tab never reaches the error report');

  // The fix: the page reloads, the overlay is gone, the new text is there.
  const reloaded = page.waitForEvent('load');
  fs.writeFileSync(file, good.replace('\n## ', `\n${args.marker}\n\n## `));
  await reloaded;
  await page.locator(`text=${args.marker}`).waitFor();
  check(await page.locator('#plainsight-build-error').count() === 0, 'the overlay stays after the fix');
  console.log(`overlay: ok (${checks} checks)`);
} catch (e) {
  fail(e.message);
} finally {
  fs.writeFileSync(file, good);
  if (browser) await browser.close();
  server?.kill('SIGINT');
}
