#!/usr/bin/env node
// The search page of a built plainsight site, in headless Chromium.
//
//   node tests/browser/search.mjs --dir <output folder> --base <base path> --csp <policy>
//
// Serves --dir on 127.0.0.1 (random port) under --base, every response with the given
// Content-Security-Policy, and checks, with JavaScript on:
//   - <base>search/?q=knife shows "N results for “knife”" in the role=status region, with
//     result links to real indexed pages (documents and metrics), excerpts whose highlights are
//     <mark> elements and nothing else;
//   - a priority is found by words of its title, and listings are never results;
//   - a new query by Enter keeps focus in the field and goes into the URL; Tab reaches the
//     results; Back restores the previous query; a nonsense query says "No results for …";
//   - axe-core finds nothing on the page showing results; no CSP violation, console error,
//     uncaught exception or failed request; the search ran in Pagefind's worker;
// and with JavaScript off: the fallback with links to the listings is shown, the form is not.
// Prints `FAIL <check>: <detail>` per failure and `search: P passed, F failed`; exit 1 on any
// failure, 2 on a setup problem.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { staticServer } from './static-server.mjs';

const require = createRequire(import.meta.url);
const setupFail = (msg) => { console.log(`search: ${msg}`); process.exit(2); };
const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
if (!args.dir || !args.base || !args.csp) setupFail('usage: node search.mjs --dir <folder> --base <path> --csp <policy>');
const root = fs.realpathSync(args.dir);
const base = args.base;
let chromium, axeSource;
try {
  ({ chromium } = require('playwright-core'));
  axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
} catch {
  setupFail("run 'npm ci --ignore-scripts' in tests/browser");
}

// ---- the server (shared with audit.mjs) -------------------------------------
const notFound = [];
const server = staticServer(root, base, {
  headers: { 'content-security-policy': args.csp },
  onMissing: (pathname) => notFound.push(pathname),
});

let passed = 0, failed = 0;
const check = (ok, what, detail = '') => {
  if (ok) passed++;
  else { failed++; console.log(`FAIL ${what}${detail ? `: ${detail}` : ''}`); }
};
const statusIs = (page, re) => page.waitForFunction(
  (source) => new RegExp(source).test(document.getElementById('search-status')?.textContent || ''),
  re.source, { timeout: 20000 });
const results = (page) => page.$$eval('#search-results > li', (lis) => lis.map((li) => ({
  href: li.querySelector('a')?.href, title: li.querySelector('a')?.textContent,
  excerpt: li.querySelector('p')?.textContent || '',
  marks: [...li.querySelectorAll('p mark')].map((m) => m.textContent),
  tags: [...(li.querySelector('p')?.children || [])].map((c) => c.tagName),
})));

let browser;
let exitCode = 2;
try {
  await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
  });

  // ---- JavaScript on -------------------------------------------------------------
  {
    const context = await browser.newContext();
    await context.route((u) => u.origin !== origin, (route) => route.abort('blockedbyclient'));
    const page = await context.newPage();
    const log = { console: [], errors: [], failed: [], workers: [] };
    page.on('console', (m) => { if (['error', 'warning'].includes(m.type())) log.console.push(m.text()); });
    page.on('pageerror', (e) => log.errors.push(String(e)));
    page.on('requestfailed', (r) => log.failed.push(`${r.url()} ${r.failure()?.errorText}`));
    page.on('worker', (w) => {
      log.workers.push(w.url());
      w.on('console', (m) => { if (['error', 'warning'].includes(m.type())) log.console.push(`worker: ${m.text()}`); });
    });
    await page.addInitScript(() => {
      window.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.effectiveDirective} refused ${e.blockedURI || 'inline code'}`));
    });

    await page.goto(`${origin}${base}search/?q=knife`);
    await statusIs(page, /results? for|No results|unavailable/);
    const status = await page.textContent('#search-status');
    check(/^\d+ results? for “knife”/.test(status), 'status announces the results', JSON.stringify(status));
    check(await page.$eval('#search-status', (e) => e.getAttribute('role')) === 'status', 'the status is a live region');
    check((await page.inputValue('#q')) === 'knife', 'the field holds the query from ?q=');
    check(await page.$eval('#search-fallback', (e) => e.hidden), 'the no-JavaScript text is hidden');
    const found = await results(page);
    check(found.length > 0 && found.length <= 20, 'between 1 and 20 results shown', String(found.length));
    check(found.some((r) => r.href?.includes('/metrics/')), 'metrics are indexed', found.map((r) => r.href).join(' '));
    check(found.some((r) => /\/(reports|press-releases|letters|statements|plans)\/[^/]+\/$/.test(r.href || '')), 'documents are indexed', found.map((r) => r.href).join(' '));
    for (const r of found) {
      check(r.href?.startsWith(`${origin}${base}`), 'result links stay under the base path', r.href);
      const response = await page.request.get(r.href);
      check(response.status() === 200 && (await response.text()).includes('data-pagefind-body'), 'a result is an indexed page', `${response.status()} ${r.href}`);
      check(!!r.title?.trim() && !/&amp;|&lt;|<\//.test(r.title), 'a result has a plain-text title', r.title);
      check(r.tags.every((t) => t === 'MARK'), 'excerpts hold no elements but <mark>', r.tags.join());
      check(!/&lt;|&gt;|&amp;|<\/?mark>/.test(r.excerpt), 'excerpts show no markup or entities', r.excerpt);
    }
    check(found.some((r) => r.marks.some((m) => /knife/i.test(m))), 'matches are highlighted with <mark>', JSON.stringify(found.map((r) => r.marks)));

    // A priority, by the words of its title; listings never come up.
    await page.fill('#q', 'exploited harmed');
    await page.keyboard.press('Enter');
    await statusIs(page, /for “exploited harmed”/);
    const priority = await results(page);
    check(priority.some((r) => /\/plans\/[^/]+\/[^/]+\/$/.test(r.href || '')), 'priorities are indexed', priority.map((r) => r.href).join(' '));
    check(await page.evaluate(() => document.activeElement?.id === 'q'), 'focus stays in the field after Enter');
    check(new URL(page.url()).searchParams.get('q') === 'exploited harmed', 'the query goes into the URL', page.url());
    check(priority.every((r) => !/\/(reports|press-releases|letters|statements|plans|metrics|timeline|sources)\/$/.test(new URL(r.href).pathname.slice(base.length - 1))), 'listings are not results', priority.map((r) => r.href).join(' '));
    // Tab: field -> button -> first result.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    check(await page.evaluate(() => document.activeElement?.tagName === 'A' && !!document.activeElement.closest('#search-results')), 'results are reachable by Tab');
    await page.goBack();
    await statusIs(page, /for “knife”/);
    check((await page.inputValue('#q')) === 'knife', 'Back restores the previous search');
    await page.fill('#q', 'xylophonequartz');
    await page.keyboard.press('Enter');
    await statusIs(page, /No results for “xylophonequartz”/);
    check((await results(page)).length === 0, 'no results: an empty list');

    // axe on the page showing results (evaluated over CDP: the page's policy refuses <script> injection).
    await page.fill('#q', 'knife');
    await page.keyboard.press('Enter');
    await statusIs(page, /results? for “knife”/);
    await page.evaluate(axeSource);
    const axe = await page.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } }));
    check(axe.violations.length === 0, 'axe finds nothing on the results',
      axe.violations.map((v) => `${v.id}: ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', ')}`).join(' | '));
    const csp = await page.evaluate(() => window.__csp);
    check(csp.length === 0, 'no Content-Security-Policy violation', csp.join(' | '));
    check(log.console.length === 0, 'no console errors or warnings', log.console.join(' | '));
    check(log.errors.length === 0, 'no uncaught exceptions', log.errors.join(' | '));
    check(log.failed.length === 0 && notFound.length === 0, 'no failed requests', [...log.failed, ...notFound].join(' | '));
    check(log.workers.some((u) => u.endsWith(`${base}pagefind/pagefind-worker.js`)), "the search ran in Pagefind's worker", log.workers.join(' '));
    await context.close();
  }

  // ---- JavaScript off ------------------------------------------------------------
  {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${origin}${base}search/?q=knife`);
    const fallback = page.locator('#search-fallback');
    check(await fallback.isVisible(), 'no JavaScript: the fallback is shown');
    check(/needs JavaScript/.test(await fallback.innerText()), 'no JavaScript: it says why');
    const links = await fallback.locator('a').evaluateAll((as) => as.map((a) => a.href));
    check(links.some((l) => l.endsWith(`${base}reports/`)), 'no JavaScript: it links the listings', links.join(' '));
    for (const href of links) {
      check((await page.request.get(href)).status() === 200, 'no JavaScript: each link works', href);
    }
    check(!(await page.locator('#search-form').isVisible()), 'no JavaScript: the useless form is not shown');
    await context.close();
  }
  console.log(`search: ${passed} passed, ${failed} failed`);
  exitCode = failed ? 1 : 0;
} catch (err) {
  console.log(`search: error: ${err?.stack || err}`);
} finally {
  await browser?.close().catch(() => {});
  server.close();
}
process.exit(exitCode);
