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
//   - each result says its kind, and a document its date (<time datetime>); no excerpt comes
//     from the parts of a page marked data-pagefind-ignore ("Answers to" lists, the details
//     list, backlinks), so none runs a label into its value ("Published24 March 2022"), and
//     a word only in those parts ("braille") finds nothing;
//   - the filters (a fieldset of labelled lists, filled from the index): by kind, keyboard
//     only, narrows the results to that kind; by plan, to pages carrying that plan; clearing
//     both restores the first count; a filter alone (no words) lists what it keeps; the
//     filters go into the URL and Back restores them;
//   - axe-core finds nothing on the page showing results; no CSP violation, console error,
//     uncaught exception or failed request; the search ran in Pagefind's worker;
//   - the 404 page's search box takes a query to the search page, which runs it;
// and with JavaScript off: the fallback with links to the listings is shown, the form is not;
// the 404 page's search box still sends the query to the search page.
// Prints `FAIL <check>: <detail>` per failure and `search: P passed, F failed`; exit 1 on any
// failure, 2 on a setup problem.
import fs from 'node:fs';
import { parseArgs, setupFail, tally, tools, launch, listen } from './harness.mjs';
import { staticServer } from './static-server.mjs';

const args = parseArgs();
if (!args.dir || !args.base || !args.csp) setupFail('search', 'usage: node search.mjs --dir <folder> --base <path> --csp <policy>');
const root = fs.realpathSync(args.dir);
const base = args.base;
const { chromium, axeSource } = tools('search', { axe: true });

// ---- the server (shared with audit.mjs) -------------------------------------
const notFound = [];
const server = staticServer(root, base, {
  headers: { 'content-security-policy': args.csp },
  onMissing: (pathname) => notFound.push(pathname),
});

const t = tally();
const { check } = t;
const statusIs = (page, re) => page.waitForFunction(
  (source) => new RegExp(source).test(document.getElementById('search-status')?.textContent || ''),
  re.source, { timeout: 20000 });
const results = (page) => page.$$eval('#search-results > li', (lis) => lis.map((li) => ({
  href: li.querySelector('a')?.href, title: li.querySelector('a')?.textContent,
  about: li.querySelector('p.search-result-meta')?.textContent || '',
  datetime: li.querySelector('p.search-result-meta time')?.getAttribute('datetime') || '',
  excerpt: li.querySelector('p.search-excerpt')?.textContent || '',
  marks: [...li.querySelectorAll('p.search-excerpt mark')].map((m) => m.textContent),
  tags: [...(li.querySelector('p.search-excerpt')?.children || [])].map((c) => c.tagName),
})));
const count = async (page) => Number((await page.textContent('#search-status')).match(/^(\d+) results?/)?.[1] ?? 0);
// The labels of the details lists, run into their values as Pagefind once joined them.
const runTogether = /\b(Published|Updated|Issued by|Owner|Period|Plan|Last updated|Better when)(?=[A-Z0-9])/;

// The filters, on the page showing "knife" (`all` results): each narrows, together they
// narrow more, clearing restores, keyboard only; Back restores a filter; a filter alone lists.
async function filterChecks(page, shownBefore) {
  const all = await count(page);
  check(await page.locator('#search-filters').isVisible(), 'the filters are shown with JavaScript');
  check(await page.$eval('#search-filters', (f) => f.tagName === 'FIELDSET' && !!f.querySelector('legend')?.textContent.trim()), 'the filters are a fieldset with a legend');
  for (const id of ['search-kind', 'search-plan']) {
    check(await page.$eval(`#${id}`, (s) => !!document.querySelector(`label[for="${s.id}"]`)?.textContent.trim()), `#${id} has a label`);
  }
  const options = (id) => page.$$eval(`#${id} option`, (os) => os.map((o) => o.value).filter(Boolean));
  const kinds = await options('search-kind');
  const plans = await options('search-plan');
  check(['Metric', 'Plan', 'Priority', 'Report'].every((k) => kinds.includes(k)), 'the kind filter lists the kinds in the index', kinds.join());
  check(plans.length >= 2 && plans.every((p) => /Plan|Met/.test(p)), 'the plan filter lists the plans', plans.join());

  // By kind, keyboard only: focus the list and pick "Metric" by typing its first letters.
  await page.focus('#search-kind');
  await page.keyboard.type('Metric');
  await statusIs(page, /^\d+ results? for “knife” with kind: Metric/);
  const metrics = await results(page);
  check(await page.$eval('#search-kind', (s) => s.value) === 'Metric', 'the kind is chosen by keyboard');
  check(metrics.length > 0 && metrics.length < shownBefore && metrics.every((r) => r.href.includes('/metrics/') && r.about.startsWith('Metric')),
    'the kind filter narrows the results to that kind', metrics.map((r) => r.href).join(' '));
  check(new URL(page.url()).searchParams.get('kind') === 'Metric', 'the kind goes into the URL', page.url());
  check(await page.evaluate(() => document.activeElement?.id === 'search-kind'), 'focus stays on the filter');

  // And by plan: only pages carrying that plan, fewer than the kind alone.
  const plan = plans.find((p) => /2022/.test(p)) ?? plans[0];
  await page.selectOption('#search-plan', plan);
  await statusIs(page, new RegExp(`with kind: Metric, plan: ${plan.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  const both = await results(page);
  for (const r of both) {
    const html = await (await page.request.get(r.href)).text();
    check(html.includes(`data-pagefind-filter="plan:${plan}"`), 'the plan filter keeps only pages of that plan', r.href);
  }
  check(both.length <= metrics.length, 'two filters narrow further', `${both.length} > ${metrics.length}`);
  await page.goBack();
  await statusIs(page, /^\d+ results? for “knife” with kind: Metric$/);
  check(await page.$eval('#search-plan', (s) => s.value) === '' && await page.$eval('#search-kind', (s) => s.value) === 'Metric', 'Back restores the filters');

  // Clearing both restores the first results.
  await page.selectOption('#search-kind', '');
  await statusIs(page, /^\d+ results? for “knife”$/);
  check(await count(page) === all, 'clearing the filters restores the results', `${await count(page)} != ${all}`);

  // A filter without words lists every page it keeps.
  await page.fill('#q', '');
  await page.selectOption('#search-kind', 'Plan');
  await statusIs(page, /^\d+ results? with kind: Plan$/);
  const allPlans = await results(page);
  check(allPlans.length === plans.length && allPlans.every((r) => r.about.startsWith('Plan')), 'a filter alone lists what it keeps', allPlans.map((r) => r.title).join(' | '));
  await page.selectOption('#search-kind', '');
  await page.fill('#q', 'knife');
  await page.keyboard.press('Enter');
  await statusIs(page, /^\d+ results? for “knife”$/);
}

let browser;
let exitCode = 2;
try {
  const origin = await listen(server);
  browser = await launch(chromium);

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
    for (const r of found) {
      check(/^(Report|Press release|Letter|Statement|Plan|Page|Priority|Metric)\b/.test(r.about), 'a result says its kind', `${r.href}: ${JSON.stringify(r.about)}`);
      if (/^(Report|Press release|Letter|Statement)\b/.test(r.about)) {
        check(/^[A-Za-z ]+, published \d{1,2} [A-Z][a-z]+ \d{4}$/.test(r.about) && /^\d{4}-\d{2}-\d{2}$/.test(r.datetime),
          'a document result says when it was published', `${r.href}: ${JSON.stringify(r.about)} ${r.datetime}`);
      }
      check(!runTogether.test(r.excerpt), 'no excerpt runs a label into its value', r.excerpt);
      check(!/Answers to|Documents that answer|Also mentioned in|Need this page in another format/.test(r.excerpt), 'no excerpt comes from the lists around the text', r.excerpt);
    }
    await filterChecks(page, found.length);

    // A priority, by the words of its title; listings never come up.
    await page.fill('#q', 'exploited harmed');
    await page.keyboard.press('Enter');
    await statusIs(page, /for “exploited harmed”/);
    const priority = await results(page);
    check(priority.some((r) => /\/plans\/[^/]+\/[^/]+\/$/.test(r.href || '')), 'priorities are indexed', priority.map((r) => r.href).join(' '));
    check(await page.evaluate(() => document.activeElement?.id === 'q'), 'focus stays in the field after Enter');
    check(new URL(page.url()).searchParams.get('q') === 'exploited harmed', 'the query goes into the URL', page.url());
    check(priority.every((r) => !/\/(reports|press-releases|letters|statements|plans|metrics|timeline|sources)\/$/.test(new URL(r.href).pathname.slice(base.length - 1))), 'listings are not results', priority.map((r) => r.href).join(' '));
    // Tab: field -> button -> the two filters -> first result.
    const stops = [];
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('Tab');
      stops.push(await page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName));
    }
    check(stops.join() === 'BUTTON,search-kind,search-plan', 'the filters come after the button in Tab order', stops.join());
    await page.keyboard.press('Tab');
    check(await page.evaluate(() => document.activeElement?.tagName === 'A' && !!document.activeElement.closest('#search-results')), 'results are reachable by Tab');
    await page.goBack();
    await statusIs(page, /^\d+ results? for “knife”$/);
    check((await page.inputValue('#q')) === 'knife', 'Back restores the previous search');
    await page.fill('#q', 'xylophonequartz');
    await page.keyboard.press('Enter');
    await statusIs(page, /No results for “xylophonequartz”/);
    check((await results(page)).length === 0, 'no results: an empty list');
    // Words that appear only in the parts of pages marked data-pagefind-ignore (the "Answers
    // to" lists, the "Issued by" label, the offer of other formats) find nothing.
    const docResult = found.find((r) => /\/(reports|press-releases|letters|statements)\//.test(r.href || ''));
    const docHtml = docResult ? await (await page.request.get(docResult.href)).text() : '';
    check(/>Answers to</.test(docHtml) && />Issued by</.test(docHtml) && /Braille/.test(docHtml),
      'a found document has an "Answers to" list, an "Issued by" label and the offer of Braille', docResult?.href);
    // Stemming finds "answer" and "issue" in the text proper, so those may find pages, but
    // never with an excerpt from the ignored parts; "braille" is only there, so it finds nothing.
    for (const [word, label] of [['answers to', /Answers to/], ['issued by', /Issued by/], ['braille', /Braille/]]) {
      await page.fill('#q', word);
      await page.keyboard.press('Enter');
      await statusIs(page, new RegExp(`results? for “${word}”`));
      const hits = await results(page);
      check(hits.every((r) => !label.test(r.excerpt)), 'no excerpt comes from the ignored parts', `${word}: ${hits.map((r) => r.excerpt).join(' | ')}`);
      if (word === 'braille') check(hits.length === 0, 'a word only in the ignored parts finds nothing', `${word}: ${hits.map((r) => r.href).join(' ')}`);
    }

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

    // The 404 page's search box: a query typed there is run on the search page.
    await page.goto(`${origin}${base}404.html`);
    await page.fill('form[role=search] input[name=q]', 'knife');
    await Promise.all([page.waitForURL(/\/search\/\?q=knife$/), page.keyboard.press('Enter')]);
    await statusIs(page, /^\d+ results? for “knife”/);
    check(new URL(page.url()).pathname === `${base}search/`, "the 404 page's search box leads to the search page", page.url());
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
    check(!(await page.locator('#search-filters').isVisible()), 'no JavaScript: no filters are shown');
    // The 404 page's search box is a plain form: it works without JavaScript.
    await page.goto(`${origin}${base}404.html`);
    const box = page.locator('form[role=search]');
    check(await box.isVisible(), 'no JavaScript: the 404 page has a search box');
    check(await box.locator('label').evaluate((l) => !!document.getElementById(l.htmlFor)?.closest('form')), 'the 404 search box is labelled');
    await box.locator('input[name=q]').fill('knife');
    await Promise.all([page.waitForURL(/\/search\/\?q=knife$/), box.locator('button').click()]);
    check(new URL(page.url()).pathname === `${base}search/`, 'no JavaScript: the 404 search box sends the query to the search page', page.url());
    await context.close();
  }
  console.log(`search: ${t.passed} passed, ${t.failed} failed`);
  exitCode = t.failed ? 1 : 0;
} catch (err) {
  console.log(`search: error: ${err?.stack || err}`);
} finally {
  await browser?.close().catch(() => {});
  server.close();
}
process.exit(exitCode);
