#!/usr/bin/env node
// Search results for pages whose titles and text hold markup, in headless Chromium.
//
//   node tests/browser/search-markup.mjs --dir <output folder> --csp <policy>
//
// Serves the built tests/fixtures/markup-titles site on 127.0.0.1 under / with the given
// Content-Security-Policy, searches for "alert" and checks that every result shows the title
// exactly as written, as text: no element but the result's own <a>, <p>, <time> and <mark>, no
// script run (no dialog, no uncaught exception, no CSP violation); the plan filter lists the
// plan's title as text too.
// Prints `FAIL <check>: <detail>` per failure and `search-markup: P passed, F failed`; exit 1
// on any failure, 2 on a setup problem.
import fs from 'node:fs';
import { parseArgs, setupFail, tally, tools, launch, listen } from './harness.mjs';
import { staticServer } from './static-server.mjs';

const TITLE = '<script>alert(1)</script> & "co"';
const args = parseArgs();
if (!args.dir || !args.csp) setupFail('search-markup', 'usage: node search-markup.mjs --dir <folder> --csp <policy>');
const { chromium } = tools('search-markup');
const server = staticServer(fs.realpathSync(args.dir), '/', { headers: { 'content-security-policy': args.csp } });

const t = tally();
const { check } = t;

let browser;
let exitCode = 2;
try {
  const origin = await listen(server);
  browser = await launch(chromium);
  const context = await browser.newContext();
  await context.route((u) => u.origin !== origin, (route) => route.abort('blockedbyclient'));
  const page = await context.newPage();
  const ran = [];
  page.on('dialog', (d) => { ran.push(`dialog: ${d.message()}`); d.dismiss().catch(() => {}); });
  page.on('pageerror', (e) => ran.push(`exception: ${e}`));
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.effectiveDirective} refused ${e.blockedURI || 'inline code'}`));
  });
  await page.goto(`${origin}/search/?q=alert`);
  await page.waitForFunction(() => /results? for|No results|unavailable/.test(document.getElementById('search-status')?.textContent || ''), null, { timeout: 20000 });
  const found = await page.$$eval('#search-results > li', (lis) => lis.map((li) => ({
    title: li.querySelector('a')?.textContent,
    elements: [...li.querySelectorAll('*')].map((e) => e.tagName),
    excerpt: li.querySelector('p.search-excerpt')?.textContent || '',
  })));
  // The report, the plan, its priority and the metric all carry the title.
  check(found.length >= 4, 'every page with the title is found', String(found.length));
  for (const r of found) {
    check(r.title === TITLE, 'the title shows exactly as written, as text', JSON.stringify(r.title));
    check(r.elements.every((t) => ['A', 'P', 'MARK', 'TIME'].includes(t)), 'a result holds no element from the content', r.elements.join());
  }
  check(found.some((r) => r.excerpt.includes('<script>')), 'excerpts show markup as text', JSON.stringify(found.map((r) => r.excerpt)));
  check((await page.$$('#search-results script')).length === 0, 'no script element in the results');
  // The plan's title, as the plan filter lists it: text, exactly as written.
  const plans = await page.$$eval('#search-plan option', (os) => os.map((o) => ({ text: o.textContent, value: o.value, children: o.children.length })));
  check(plans.some((o) => o.text === TITLE && o.value === TITLE && o.children === 0), 'the plan filter shows the title as text', JSON.stringify(plans));
  check((await page.$$('#search-filters script')).length === 0, 'no script element in the filters');
  check(ran.length === 0, 'nothing from the content ran', ran.join(' | '));
  const csp = await page.evaluate(() => window.__csp);
  check(csp.length === 0, 'no Content-Security-Policy violation', csp.join(' | '));
  await context.close();
  console.log(`search-markup: ${t.passed} passed, ${t.failed} failed`);
  exitCode = t.failed ? 1 : 0;
} catch (err) {
  console.log(`search-markup: error: ${err?.stack || err}`);
} finally {
  await browser?.close().catch(() => {});
  server.close();
}
process.exit(exitCode);
