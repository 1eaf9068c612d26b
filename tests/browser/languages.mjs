#!/usr/bin/env node
// The search page's and the tracker's scripts on a Welsh site (tests/fixtures/welsh), in
// headless Chromium: what they write comes from the theme's Welsh strings, with Welsh plural
// forms chosen by the browser's CLDR rules.
//
//   node tests/browser/languages.mjs --dir <output folder> --csp <policy>
//
// Serves --dir on 127.0.0.1 under / with the given Content-Security-Policy and checks:
//   - a search for a word the site has says "N canlyniad/ganlyniad/chanlyniad am “WORD”", in the
//     form Intl.PluralRules('cy') gives for N, and one for a word it lacks "Dim canlyniadau am";
//   - the tracker's filter is labelled in Welsh ("Hidlo ymrwymiadau", "Pob cynllun", "Dangos y
//     cyfan") and, once a status is chosen, says "Yn dangos 1 o 1 ymrwymiad";
//   - no English word of either script is left, and no CSP violation or uncaught exception.
// Prints `FAIL <check>: <detail>` per failure and `languages: P passed, F failed`; exit 1 on any
// failure, 2 on a setup problem.
import fs from 'node:fs';
import { parseArgs, setupFail, tally, tools, launch, listen } from './harness.mjs';
import { staticServer } from './static-server.mjs';

const args = parseArgs();
if (!args.dir || !args.csp) setupFail('languages', 'usage: node languages.mjs --dir <folder> --csp <policy>');
const { chromium } = tools('languages');
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
  const problems = [];
  page.on('pageerror', (e) => problems.push(`exception: ${e}`));
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.effectiveDirective} refused ${e.blockedURI || 'inline code'}`));
  });
  const statusOf = async (query) => {
    await page.goto(`${origin}/search/?q=${encodeURIComponent(query)}`);
    await page.waitForFunction(() => /canlyniad|ganlyniad|chanlyniad|canlyniadau|ar gael/.test(document.getElementById('search-status')?.textContent || ''), null, { timeout: 20000 });
    return page.textContent('#search-status');
  };

  const found = await statusOf('trais');
  const count = Number((found.match(/^(\d+) /) || [])[1]);
  const form = { zero: 'canlyniad', one: 'canlyniad', two: 'ganlyniad', few: 'chanlyniad', many: 'chanlyniad', other: 'canlyniad' }[new Intl.PluralRules('cy').select(count)];
  check(count > 0 && found === `${count} ${form} am “trais”`, 'a search says how many results in Welsh, in the right plural form', found);
  const none = await statusOf('sebradrws');
  check(none === 'Dim canlyniadau am “sebradrws”', 'a search with no results says so in Welsh', none);

  await page.goto(`${origin}/commitments/`);
  const label = await page.getAttribute('form[role=search]', 'aria-label');
  check(label === 'Hidlo ymrwymiadau', 'the tracker filter is labelled in Welsh', label);
  const words = await page.$$eval('form[role=search] label, form[role=search] option, form[role=search] button', (es) => es.map((e) => e.textContent));
  for (const w of ['Cynllun', 'Pob cynllun', 'Statws', 'Pob statws', 'Perchennog', 'Pob perchennog', 'Dangos y cyfan']) {
    check(words.includes(w), `the tracker filter says “${w}”`, words.join(' | '));
  }
  check(!words.some((w) => /\b(All|Show|Owner|Status|Plan)\b/.test(w)), 'no English word is left in the filter', words.join(' | '));
  await page.selectOption('#filter-status', 'no-report');
  const said = await page.textContent('#tracker-status');
  check(said === 'Yn dangos 1 o 1 ymrwymiad', 'the tracker says how many it shows, in Welsh', said);

  const csp = await page.evaluate(() => window.__csp);
  check(problems.length === 0 && csp.length === 0, 'no exception and no CSP violation', [...problems, ...csp].join(' | '));
  console.log(`languages: ${t.passed} passed, ${t.failed} failed`);
  exitCode = t.failed ? 1 : 0;
} catch (err) {
  console.log(`languages: error: ${err?.stack || err}`);
} finally {
  await browser?.close().catch(() => {});
  server.close();
}
process.exit(exitCode);
