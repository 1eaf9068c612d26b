#!/usr/bin/env node
// Search under `plainsight serve` in a real browser, between an edit and the next whole write
// of the index: `serve` runs with PLAINSIGHT_TEST_HOLD_INDEX (a debug build's test hook), so
// each whole write after the first waits until the test lets it go, and the search page must
// answer from the whole index merged with the index of the changed pages alone.
//
//   node serve-search.mjs --bin <plainsight> --root <site> --hold <flag file>
//     --doc <path under content/> --gone <word only in that document> --common <word in it and others>
//
// With the search page open, the document is edited: the sentence holding --gone loses it and
// gains a new word. Before the whole write, and again after it:
//   - the new word finds the document, once;
//   - --gone no longer finds it (its earlier version in the whole index is hidden);
//   - --common finds it once, not once per index;
//   - no console error, uncaught exception or failed request.
// Prints `serve-search: ok (<n> checks)` and exits 0, or `serve-search: FAIL <reason>` and 1.
// Network: the server listens on 127.0.0.1 only; the browser may reach nothing else.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs, setupFail, tools, launch, serve } from './harness.mjs';

const args = parseArgs();
for (const k of ['bin', 'root', 'hold', 'doc', 'gone', 'common']) {
  if (!args[k]) setupFail('serve-search', 'usage: node serve-search.mjs --bin B --root R --hold F --doc D --gone W --common W');
}
const { chromium } = tools('serve-search');
const NEW_WORD = 'zebrafinch';

const file = path.join(args.root, 'content', args.doc);
const text = fs.readFileSync(file, 'utf8');
if (!text.includes(args.gone)) setupFail('serve-search', `${args.doc} does not say "${args.gone}"`);
let server;
let browser;
let checks = 0;
const check = (ok, what) => { checks++; if (!ok) throw new Error(what); };
const until = async (what, ok) => {
  const deadline = Date.now() + 30_000;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

try {
  let url;
  ({ server, url } = await serve(args.bin, args.root, { PLAINSIGHT_TEST_HOLD_INDEX: args.hold }));
  const origin = new URL(url).origin;
  const docUrl = new URL(args.doc.replace(/\.md$/, '/'), url).pathname;

  browser = await launch(chromium);
  const context = await browser.newContext();
  context.setDefaultTimeout(20_000);
  await context.route((u) => u.origin !== origin, (route) => route.abort('blockedbyclient'));
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`exception: ${e.message}`));
  page.on('requestfailed', (r) => {
    // Each navigation cuts the open page's live-reload stream short.
    if (new URL(r.url()).pathname === '/__plainsight/events' && r.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push(`failed: ${r.url()} (${r.failure()?.errorText})`);
  });
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`${r.status()}: ${r.url()}`); });

  // How often the document is among the results of `word` (searched through the page's form).
  const timesFound = async (word) => {
    await page.goto(new URL(`search/?q=${encodeURIComponent(word)}`, url).href);
    await page.waitForFunction(() => /results?|No results/.test(document.getElementById('search-status')?.textContent || ''));
    const hrefs = await page.$$eval('#search-results > li > a', (as) => as.map((a) => new URL(a.href).pathname));
    return hrefs.filter((h) => h === docUrl).length;
  };
  const searches = async (when) => {
    check(await timesFound(NEW_WORD) === 1, `${when}: "${NEW_WORD}" does not find ${docUrl} once`);
    check(await timesFound(args.gone) === 0, `${when}: "${args.gone}", taken out, still finds ${docUrl}`);
    check(await timesFound(args.common) === 1, `${when}: "${args.common}" does not find ${docUrl} once`);
    check(problems.length === 0, `${when}: ${problems.join('; ')}`);
  };

  // The first whole write (not held), then the document as it was.
  check(await timesFound(args.gone) === 1, `"${args.gone}" does not find ${docUrl} before the edit`);
  check(await timesFound(NEW_WORD) === 0, `"${NEW_WORD}" finds ${docUrl} before the edit`);

  // Away from serve's pages while it rebuilds, so that its reload does not cut a search short.
  await page.goto('about:blank');
  fs.writeFileSync(file, text.replace(args.gone, NEW_WORD));
  await until('the whole write to be held', () => fs.existsSync(args.hold));
  const recent = await (await fetch(`${origin}/__plainsight/search-recent.json`)).json();
  check(typeof recent.index === 'string' && recent.hide?.length >= 1, `no index of the changed pages: ${JSON.stringify(recent)}`);
  await searches('before the whole write');

  fs.rmSync(args.hold);
  await until('the whole write', async () => {
    const r = await (await fetch(`${origin}/__plainsight/search-recent.json`)).json();
    return Object.keys(r).length === 0;
  });
  await searches('after the whole write');
  console.log(`serve-search: ok (${checks} checks)`);
} catch (e) {
  console.log(`serve-search: FAIL ${e.message}`);
  process.exitCode = 1;
} finally {
  await browser?.close();
  server?.kill();
  fs.writeFileSync(file, text);
}
