#!/usr/bin/env node
// A figure lands on its reading: follows real figure links in a built demo site and checks, in
// headless Chromium, that the reading's row is focused and highlighted.
//
//   node tests/browser/rows.mjs --dir <built demo> [--csp <policy>]
//
// From a document, clicks a figure link to an older reading (`metric:ID@PERIOD`) and a bare
// one (`metric:ID`), then asserts: the URL ends in #PERIOD, document.activeElement is that
// row, and the row's computed background, outline or first cell's edge differs from another
// row's, in light, dark and forced-colours modes; a same-page change of the fragment moves
// focus too. Serves the folder on 127.0.0.1 only. Prints `ok`/`FAIL` lines and
// `rows: N passed, M failed`; exits 0 when none failed, 1 otherwise, 2 on a setup problem.
import fs from 'node:fs';
import { parseArgs, setupFail, tally, tools, launch, listen } from './harness.mjs';
import { staticServer } from './static-server.mjs';

const args = parseArgs();
if (!args.dir || !fs.existsSync(args.dir)) setupFail('rows', 'usage: node rows.mjs --dir <built site> [--csp <policy>]');
const root = fs.realpathSync(args.dir);
const { chromium } = tools('rows');

// The demo's figures: the plan of March 2022 quotes the survey's December 2017 reading (not
// the latest); the press release's "51% figure" is a bare metric: link, so the reading it
// showed, December 2021, the latest row.
const PLAN = '/plans/police-and-crime-plan-2022-25/';
const RELEASE = '/press-releases/2022-03-24-police-and-crime-plan-published/';
const METRIC = '/metrics/pas-good-job-locally/';

const t = tally({ verbose: true });
const { check } = t;

/** The focused element, the target row and a row that is not the target, as computed. */
function probeRow(id) {
  const row = document.getElementById(id);
  const other = [...document.querySelectorAll('tbody tr')].find((r) => r.id !== id);
  const look = (r) => {
    const s = getComputedStyle(r);
    const cell = getComputedStyle(r.firstElementChild);
    return {
      background: s.backgroundColor,
      outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`,
      edge: `${cell.boxShadow} ${cell.borderLeftWidth} ${cell.borderLeftColor}`,
    };
  };
  const a = document.activeElement;
  return {
    hash: location.hash,
    focused: a === row,
    active: a ? `<${a.tagName.toLowerCase()}${a.id ? ` id="${a.id}"` : ''}>` : 'nothing',
    last: row === [...document.querySelectorAll('tbody tr')].at(-1),
    target: row?.matches(':target') ?? false,
    row: row && look(row),
    other: other && look(other),
  };
}

/** Asserts the row is the target, focused and looks unlike a non-target row. */
function assertLanded(p, id, mode) {
  check(p.hash === `#${id}`, `${mode}: the URL names the reading (#${id}), got ${p.hash}`);
  check(p.target, `${mode}: row #${id} is the :target`);
  check(p.focused, `${mode}: focus is on row #${id} (activeElement ${p.active})`);
  const differs = p.row && p.other && (p.row.background !== p.other.background ||
    p.row.outline !== p.other.outline || p.row.edge !== p.other.edge);
  check(differs, `${mode}: row #${id} looks different from another row ${JSON.stringify(p)}`);
  if (mode.startsWith('forced')) {
    // Backgrounds and shadows are dropped in forced colours: the cue must be an outline or border.
    const cue = p.row && p.other && (p.row.outline !== p.other.outline || p.row.edge !== p.other.edge);
    check(cue, `${mode}: row #${id} keeps an outline or border cue`);
  }
}

/** Opens `from`, clicks the figure link with this href and text, and probes where it lands. */
async function follow(page, origin, from, href, text) {
  await page.goto(origin + from);
  const link = page.locator(`main a[href="${href}"]`, { hasText: text }).first();
  await Promise.all([page.waitForURL(`**${href}`), link.click()]);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
  return page.evaluate(probeRow, href.split('#')[1]);
}

const server = staticServer(root, '/', { headers: args.csp ? { 'content-security-policy': args.csp } : {} });
let browser;
let code = 2;
try {
  const origin = await listen(server);
  browser = await launch(chromium, { quic: false });
  for (const [mode, options, media] of [
    ['light', { colorScheme: 'light' }, {}],
    ['dark', { colorScheme: 'dark' }, {}],
    ['forced colours', { colorScheme: 'light' }, { forcedColors: 'active' }],
  ]) {
    const ctx = await browser.newContext(options);
    await ctx.route((u) => u.origin !== origin, (route) => route.abort('blockedbyclient'));
    const page = await ctx.newPage();
    await page.emulateMedia(media);

    // A reading that is not the latest, followed from the plan's text.
    const old = await follow(page, origin, PLAN, `${METRIC}#2017-12`, '68%');
    assertLanded(old, '2017-12', `${mode}, 68% in the plan`);
    check(!old.last, `${mode}: the December 2017 row is not the latest`);
    // With focus moved away, :target alone still marks the row.
    await page.evaluate(() => document.activeElement?.blur());
    const blurred = await page.evaluate(probeRow, '2017-12');
    check(!blurred.focused && blurred.target, `${mode}: focus left row #2017-12, which stays the :target`);
    const still = blurred.row.background !== blurred.other.background || blurred.row.outline !== blurred.other.outline ||
      blurred.row.edge !== blurred.other.edge;
    check(still, `${mode}: unfocused, row #2017-12 still looks different ${JSON.stringify(blurred)}`);
    if (mode.startsWith('forced')) {
      check(blurred.row.outline !== blurred.other.outline || blurred.row.edge !== blurred.other.edge,
        `${mode}: unfocused, row #2017-12 keeps an outline or border cue`);
    }

    // A same-page change of the fragment moves focus to the new row.
    await page.evaluate(() => { location.hash = '#2021-12'; });
    await page.waitForFunction(() => location.hash === '#2021-12');
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
    assertLanded(await page.evaluate(probeRow, '2021-12'), '2021-12', `${mode}, same-page #2021-12`);

    // A bare metric: link lands on the reading it showed, here the latest row.
    const bare = await follow(page, origin, RELEASE, `${METRIC}#2021-12`, '51% figure');
    assertLanded(bare, '2021-12', `${mode}, bare link in the press release`);
    check(bare.last, `${mode}: the bare link's row is the latest shown`);
    await ctx.close();
  }
  code = t.failed ? 1 : 0;
} catch (err) {
  console.log(`rows: error: ${err?.stack || err}`);
} finally {
  console.log(`rows: ${t.passed} passed, ${t.failed} failed`);
  await browser?.close().catch(() => {});
  server.close();
}
process.exit(code);
