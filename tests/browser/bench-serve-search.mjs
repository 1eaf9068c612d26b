#!/usr/bin/env node
// A benchmark, not a test (scripts/bench-serve runs it): how soon after a save the search page
// of `plainsight serve` finds the edit, in headless Chromium (issue 24, goal 3).
//
//   node bench-serve-search.mjs --bin <plainsight> --root <site with search: true> [--edits 3]
//
// Starts serve, waits for its first whole search index, then per edit: appends a sentence with
// a new word to one document (spread over the site), and times (a) until serve names an index
// of the changed pages (/__plainsight/search-recent.json) and (b) until the search page, loaded
// then with that word, says "1 result"; then waits for the whole index to be written again
// before the next edit. Prints one line per edit and the medians. The documents are put back.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs, setupFail, tools, launch, serve } from './harness.mjs';

const args = parseArgs();
if (!args.bin || !args.root) setupFail('bench-serve-search', 'usage: node bench-serve-search.mjs --bin B --root R [--edits N]');
const edits = Number(args.edits ?? 3);
const { chromium } = tools('bench-serve-search');

const reports = path.join(args.root, 'content', 'reports');
const names = fs.readdirSync(reports).filter((n) => n.endsWith('.md')).sort();
if (names.length === 0) setupFail('bench-serve-search', `no documents in ${reports}`);
const picked = Array.from({ length: edits }, (_, i) => path.join(reports, names[Math.floor((i * names.length) / edits)]));
const originals = new Map(picked.map((f) => [f, fs.readFileSync(f, 'utf8')]));

let server;
let browser;
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
try {
  let url;
  ({ server, url } = await serve(args.bin, args.root));
  const origin = new URL(url).origin;
  const recent = async () => (await fetch(`${origin}/__plainsight/search-recent.json`)).json();
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  browser = await launch(chromium);
  const page = await browser.newPage();
  const searchFor = async (word) => {
    await page.goto(new URL(`search/?q=${word}`, url).href);
    await page.waitForFunction(() => /results?/.test(document.getElementById('search-status')?.textContent || ''), null, { timeout: 120_000 });
    return page.textContent('#search-status');
  };
  // The first whole index (the first request waits for it).
  await searchFor('report');
  const indexed = [];
  const found = [];
  for (const [i, file] of picked.entries()) {
    await page.goto('about:blank');
    const word = `benchword${i}x${Date.now() % 100000}`;
    const t0 = Date.now();
    fs.appendFileSync(file, `\nThe word ${word} is new.\n`);
    while (!(await recent()).index) await sleep(5);
    const t1 = Date.now();
    const said = await searchFor(word);
    const t2 = Date.now();
    if (!said.startsWith('1 result')) throw new Error(`"${word}": the search page said "${said}"`);
    indexed.push(t1 - t0);
    found.push(t2 - t0);
    console.log(`edit ${i + 1}: changed pages indexed ${t1 - t0} ms after the save; the search page found the word ${t2 - t0} ms after the save`);
    // The whole index again before the next edit.
    while (Object.keys(await recent()).length) await sleep(50);
  }
  console.log(`median of ${edits}: changed pages indexed ${median(indexed)} ms, found by the search page ${median(found)} ms after the save`);
} finally {
  for (const [file, text] of originals) fs.writeFileSync(file, text);
  await browser?.close();
  server?.kill();
}
