#!/usr/bin/env node
// The commitments tracker's filter (tracker.js), on a built site with commitments, in headless
// Chromium.
//
//   node tests/browser/tracker.mjs --dir <output folder> --base <base path> --csp <policy>
//
// Serves --dir on 127.0.0.1 (random port) under --base, every response with the given
// Content-Security-Policy, opens <base>commitments/ and checks, with JavaScript on:
//   - a form role=search labelled "Filter commitments" comes before the list, with three
//     labelled lists (plan, status, owner) filled from the page, and the live region says
//     nothing until a choice is made;
//   - choosing a status by keyboard alone shows only that status's commitments, hides every
//     other group, and the polite live region says "N of M commitments shown"; a plan and an
//     owner narrow likewise; together they combine; "Show all" brings every one back;
//   - axe-core finds nothing on the whole list and with a filter applied; no CSP violation,
//     console error or warning, uncaught exception or failed request;
// and with JavaScript off: no form, every commitment shown, the live region empty.
// The fixture's numbers (tests/fixtures/tracker) are built in: 8 commitments, 1 overdue,
// 3 in plan-b, 4 owned by the Met.
// Prints `FAIL <check>: <detail>` per failure and `tracker: P passed, F failed`; exit 1 on any
// failure, 2 on a setup problem.
import fs from 'node:fs';
import { parseArgs, setupFail, tally, tools, launch, listen } from './harness.mjs';
import { staticServer } from './static-server.mjs';

const args = parseArgs();
if (!args.dir || !args.base || !args.csp) setupFail('tracker', 'usage: node tracker.mjs --dir <folder> --base <path> --csp <policy>');
const root = fs.realpathSync(args.dir);
const base = args.base;
const { chromium, axeSource } = tools('tracker', { axe: true });

const notFound = [];
const server = staticServer(root, base, {
  headers: { 'content-security-policy': args.csp },
  onMissing: (pathname) => notFound.push(pathname),
});

const t = tally();
const { check } = t;

// The visible commitments (their links' text) and the visible groups' statuses.
const shown = (page) => page.$$eval('.tracker-item', (lis) => lis
  .filter((li) => li.checkVisibility())
  .map((li) => ({ plan: li.dataset.plan, status: li.dataset.status, owner: li.dataset.owner })));
const groupsShown = (page) => page.$$eval('.tracker-group', (gs) => gs
  .filter((g) => g.checkVisibility()).map((g) => g.dataset.status));
const plansShown = (page) => page.$$eval('.tracker-plan', (ps) => ps
  .filter((p) => p.checkVisibility()).map((p) => p.dataset.plan));
const statusText = (page) => page.textContent('#tracker-status');

let browser;
let exitCode = 2;
try {
  const origin = await listen(server);
  const url = `${origin}${base}commitments/`;
  browser = await launch(chromium);

  // ---- JavaScript on -------------------------------------------------------------
  {
    const context = await browser.newContext();
    await context.route((u) => u.origin !== origin, (route) => route.abort('blockedbyclient'));
    const page = await context.newPage();
    const log = { console: [], errors: [], failed: [] };
    page.on('console', (m) => { if (['error', 'warning'].includes(m.type())) log.console.push(m.text()); });
    page.on('pageerror', (e) => log.errors.push(String(e)));
    page.on('requestfailed', (r) => log.failed.push(`${r.url()} ${r.failure()?.errorText}`));
    await page.addInitScript(() => {
      window.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.effectiveDirective} refused ${e.blockedURI || 'inline code'}`));
    });
    await page.goto(url);
    await page.waitForSelector('form.tracker-filter', { timeout: 10000 });

    const form = await page.$eval('form.tracker-filter', (f) => ({
      role: f.getAttribute('role'),
      label: f.getAttribute('aria-label'),
      beforeList: !!(f.compareDocumentPosition(document.getElementById('tracker')) & Node.DOCUMENT_POSITION_FOLLOWING),
      selects: [...f.querySelectorAll('select')].map((s) => ({
        id: s.id,
        label: document.querySelector(`label[for="${s.id}"]`)?.textContent.trim(),
        options: [...s.options].map((o) => [o.value, o.textContent]),
      })),
    }));
    check(form.role === 'search' && form.label === 'Filter commitments', 'the filter is a search landmark named "Filter commitments"', JSON.stringify(form));
    check(form.beforeList, 'the filter comes before the list');
    check(form.selects.map((s) => s.label).join() === 'Plan,Status,Owner', 'three labelled lists: plan, status, owner', JSON.stringify(form.selects.map((s) => s.label)));
    const options = (i) => JSON.stringify(form.selects[i]?.options);
    check(options(0) === JSON.stringify([['', 'All plans'], ['plan-a', 'Plan A'], ['plan-b', 'Plan B']]), 'the plan list names each plan', options(0));
    check(options(1) === JSON.stringify([['', 'All statuses'], ['delivered', 'Delivered'], ['on-track', 'On track'], ['at-risk', 'At risk'], ['delayed', 'Delayed'], ['overdue', 'Overdue'], ['dropped', 'Dropped'], ['no-report', 'No report yet']]),
      'the status list has the standings on the page, in their order', options(1));
    check(options(2) === JSON.stringify([['', 'All owners'], ['Met', 'Met'], ['MOPAC', 'MOPAC'], ['-', 'No owner named']]), 'the owner list names each owner', options(2));
    check((await statusText(page)) === '', 'the live region says nothing before a choice');
    const ids = await page.$$eval('[id]', (es) => es.map((e) => e.id));
    check(new Set(ids).size === ids.length, 'no id is used twice once the filter is in', ids.join());
    check(await page.$eval('#tracker-status', (e) => e.getAttribute('role') === 'status'), 'the live region is role=status (polite)');
    check((await shown(page)).length === 8, 'every commitment is shown at first');

    const axeRun = async () => {
      await page.evaluate(axeSource);
      const r = await page.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } }));
      return r.violations.map((v) => `${v.id}: ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', ')}`).join(' | ');
    };
    const axeAll = await axeRun();
    check(axeAll === '', 'axe finds nothing on the whole list with the filter in', axeAll);

    // Status, by keyboard alone: Tab from the plan list to the status list, then type.
    await page.focus('#filter-plan');
    await page.keyboard.press('Tab');
    check(await page.evaluate(() => document.activeElement?.id) === 'filter-status', 'Tab goes from plan to status', await page.evaluate(() => document.activeElement?.id));
    await page.keyboard.type('Overdue');
    await page.waitForFunction(() => document.getElementById('tracker-status').textContent !== '');
    const overdue = await shown(page);
    check(await page.$eval('#filter-status', (s) => s.value) === 'overdue', 'the status is chosen by keyboard');
    check(overdue.length === 1 && overdue[0].status === 'overdue', 'only the overdue commitment is shown', JSON.stringify(overdue));
    check((await groupsShown(page)).join() === 'overdue', 'every other group is hidden', (await groupsShown(page)).join());
    check((await statusText(page)) === '1 of 8 commitments shown', 'the live region counts what is shown', await statusText(page));
    check(await page.$eval('.tracker-group[data-status="overdue"] .tracker-count', (c) => c.textContent) === '(1)', "the group's count is what it shows");

    // Plan and owner, then both with the status.
    await page.selectOption('#filter-status', '');
    await page.selectOption('#filter-plan', 'plan-b');
    const planB = await shown(page);
    check(planB.length === 3 && planB.every((c) => c.plan === 'plan-b'), 'the plan filter shows only that plan', JSON.stringify(planB));
    check((await plansShown(page)).every((p) => p === 'plan-b'), "the other plan's sections are hidden", (await plansShown(page)).join());
    check((await statusText(page)) === '3 of 8 commitments shown', 'the count follows the plan filter', await statusText(page));
    await page.selectOption('#filter-plan', '');
    await page.selectOption('#filter-owner', 'Met');
    const met = await shown(page);
    check(met.length === 4 && met.every((c) => c.owner === 'Met'), 'the owner filter shows only that owner', JSON.stringify(met));
    check((await statusText(page)) === '4 of 8 commitments shown', 'the count follows the owner filter', await statusText(page));
    await page.selectOption('#filter-status', 'on-track');
    await page.selectOption('#filter-plan', 'plan-a');
    const all3 = await shown(page);
    check(all3.length === 1 && all3[0].plan === 'plan-a' && all3[0].status === 'on-track' && all3[0].owner === 'Met', 'the filters combine', JSON.stringify(all3));
    await page.selectOption('#filter-owner', '-');
    check((await shown(page)).length === 0 && (await groupsShown(page)).length === 0, 'nothing matching: every group hidden');
    check((await statusText(page)) === '0 of 8 commitments shown', 'and the live region says so', await statusText(page));
    await page.selectOption('#filter-status', '');
    const ownerless = await shown(page);
    check(ownerless.length === 1 && ownerless[0].owner === '', '"No owner named" shows the commitments without one', JSON.stringify(ownerless));

    // axe, with a filter applied (evaluated over CDP: the page's policy refuses injection).
    const axeFiltered = await axeRun();
    check(axeFiltered === '', 'axe finds nothing on the filtered page', axeFiltered);

    // "Show all", by keyboard: every commitment back, focus on the first list.
    await page.focus('form.tracker-filter button');
    await page.keyboard.press('Enter');
    check((await shown(page)).length === 8 && (await groupsShown(page)).length === 7, '"Show all" shows every commitment and group');
    check((await statusText(page)) === '8 of 8 commitments shown', 'and the live region says so', await statusText(page));
    check(await page.evaluate(() => document.activeElement?.id) === 'filter-plan', 'focus returns to the first list');
    check(await page.$eval('.tracker-group[data-status="on-track"] .tracker-count', (c) => c.textContent) === '(2)', 'the counts are whole again');

    const csp = await page.evaluate(() => window.__csp);
    check(csp.length === 0, 'no Content-Security-Policy violation', csp.join(' | '));
    check(log.console.length === 0, 'no console errors or warnings', log.console.join(' | '));
    check(log.errors.length === 0, 'no uncaught exceptions', log.errors.join(' | '));
    check(log.failed.length === 0 && notFound.length === 0, 'no failed requests', [...log.failed, ...notFound].join(' | '));
    await context.close();
  }

  // ---- JavaScript off ------------------------------------------------------------
  {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(url);
    check((await page.$$('form')).length === 0, 'no JavaScript: no filter form');
    check((await shown(page)).length === 8 && (await groupsShown(page)).length === 7, 'no JavaScript: every commitment and group is shown');
    check((await statusText(page)) === '', 'no JavaScript: the live region is empty');
    await context.close();
  }
  console.log(`tracker: ${t.passed} passed, ${t.failed} failed`);
  exitCode = t.failed ? 1 : 0;
} catch (err) {
  console.log(`tracker: error: ${err?.stack || err}`);
} finally {
  await browser?.close().catch(() => {});
  server.close();
}
process.exit(exitCode);
