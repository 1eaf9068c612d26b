#!/usr/bin/env node
// A golden test of search quality: what the demo site's Pagefind index returns for a fixed
// list of queries, through Pagefind's own JS API in headless Chromium, compared with
// tests/browser/search-golden.json (recorded from the index as it was when issue 24 started).
//
//   node tests/browser/search-golden.mjs --dir <demo output folder> --csp <policy>
//   UPDATE_GOLDEN=1 node tests/browser/search-golden.mjs ...   (rewrites the golden instead)
//
// Serves --dir on 127.0.0.1 under / with the given Content-Security-Policy, opens its search
// page, imports /pagefind/pagefind.js there (the module search.js uses, with its default
// options) and records, for each query in QUERIES, in Pagefind's order: every result's url,
// meta, filters, excerpt, word_count and sub-results (title, url, excerpt), the totals
// (results.length, unfilteredResultCount) and the filter counts of the response; then the
// filters the whole index reports (filters()) and every page in the index (each kind's pages
// by a filter-only search), which must also be exactly the built pages that carry
// data-pagefind-body. Any difference from the golden prints `FAIL <query>: <field>: golden …,
// now …`. Prints `search-golden: P passed, F failed`; exit 1 on any failure, 2 on a setup
// problem.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, setupFail, tally, tools, launch, listen } from './harness.mjs';
import { staticServer } from './static-server.mjs';

const GOLDEN = path.join(path.dirname(fileURLToPath(import.meta.url)), 'search-golden.json');

// Twenty queries over the demo's content (content/), each with what it exercises.
const QUERIES = [
  { q: 'knife', why: 'a single word on documents and metrics' },
  { q: 'trust', why: 'a single word on most pages (more than one page of results)' },
  { q: 'officers', why: 'a plural' },
  { q: 'officer', why: 'its singular: the same stem' },
  { q: 'stabbing', why: 'a form not in the text, stemmed to "stabbed"' },
  { q: 'scrutinises', why: 'a verb form, stemmed to "scrutiny"/"scrutinised"' },
  { q: 'knife crime', why: 'two words' },
  { q: 'young people', why: 'two words of a metric title' },
  { q: '2016', why: 'a number' },
  { q: 'Rowley', why: 'a name' },
  { q: 'Sadiq Khan', why: 'a two-word name' },
  { q: 'guests', why: 'a heading of the report (sub-results)' },
  { q: 'recommendations', why: 'a heading word also in the text below it (sub-results)' },
  { q: 'venue', why: 'a word in a table header cell (<th>)' },
  { q: 'webcast', why: 'a word in a table cell (<td>)' },
  { q: 'owner', why: 'a <dt> label, in the ignored details list: only "own" in the text matches' },
  { q: 'Sydney', why: 'a word on a metric page' },
  { q: 'xylophone', why: 'no results' },
  { q: 'trust', filters: { kind: 'Metric' }, why: 'a word with the kind filter' },
  { q: null, filters: { plan: 'Police and Crime Plan 2022-25' }, why: 'the plan filter alone (no words)' },
];

const args = parseArgs();
if (!args.dir || !args.csp) setupFail('search-golden', 'usage: node search-golden.mjs --dir <folder> --csp <policy>');
const root = fs.realpathSync(args.dir);
const update = !!process.env.UPDATE_GOLDEN;
const { chromium } = tools('search-golden');
const server = staticServer(root, '/', { headers: { 'content-security-policy': args.csp } });

/** A copy of `value` with the keys of every object sorted, so the JSON's order is stable. */
function sortedKeys(value) {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortedKeys(value[k])]));
  }
  return value;
}

/** The URL of every built page that marks a part of itself for the index, sorted. */
function markedPages(dir, lang, rel = '') {
  const found = [];
  for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const sub = path.posix.join(rel, entry.name);
    if (entry.isDirectory()) found.push(...markedPages(dir, lang, sub));
    else if (entry.name === 'index.html') {
      const html = fs.readFileSync(path.join(dir, sub), 'utf8');
      // Pagefind keeps an index per language: a search page searches its own language's.
      if (html.includes('data-pagefind-body') && html.includes(`<html lang="${lang}">`)) found.push(`/${rel ? `${rel}/` : ''}`);
    }
  }
  return found.sort();
}

/** Runs in a language's search page: the URLs of the results for `q`. */
async function resultUrls(q) {
  const pf = await import('/pagefind/pagefind.js');
  await pf.init();
  const response = await pf.search(q);
  return Promise.all(response.results.map(async (r) => (await r.data()).url));
}

/** Runs in the page: every query's results, the index's filters and its pages. */
async function record(queries) {
  const pf = await import('/pagefind/pagefind.js');
  await pf.init();
  const subResult = (s) => ({ title: s.title, url: s.url, excerpt: s.excerpt });
  const result = (d) => ({
    url: d.url, meta: d.meta, filters: d.filters, excerpt: d.excerpt, word_count: d.word_count,
    sub_results: (d.sub_results ?? []).map(subResult),
  });
  const out = { queries: [], filters: await pf.filters(), pages: [] };
  for (const { q, filters = {} } of queries) {
    const response = await pf.search(q, { filters });
    const data = await Promise.all(response.results.map((r) => r.data()));
    out.queries.push({
      q, filters,
      count: response.results.length,
      unfiltered_count: response.unfilteredResultCount,
      response_filters: response.filters,
      results: data.map(result),
    });
  }
  // Every page in the index: each kind's pages, by a filter-only search.
  const pages = new Set();
  for (const kind of Object.keys(out.filters.kind ?? {})) {
    const response = await pf.search(null, { filters: { kind } });
    for (const r of await Promise.all(response.results.map((x) => x.data()))) pages.add(r.url);
  }
  out.pages = [...pages].sort();
  return out;
}

/** Where `a` and `b` differ, as `[path, a's value, b's value]`, paths like `results[2].excerpt`. */
function differences(a, b, at = '') {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  const bothArrays = Array.isArray(a) && Array.isArray(b);
  const bothObjects = a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b);
  if (bothArrays) {
    const found = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) found.push(...differences(a[i], b[i], `${at}[${i}]`));
    return found;
  }
  if (bothObjects) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => differences(a[k], b[k], at ? `${at}.${k}` : k));
  }
  return [[at || '(whole)', a, b]];
}

/** Where a query's live entry differs from the golden: the totals and filter counts, the
 *  order of the result urls, and each result present in both by its url (`results[/x/].excerpt`),
 *  so one result more or less does not show as every later result changed. */
function queryDifferences(golden, live) {
  const { results: goldenResults, why: _w, ...goldenRest } = golden;
  const { results: liveResults, why: _v, ...liveRest } = live;
  const found = differences(goldenRest, liveRest);
  const urls = (rs) => rs.map((r) => r.url);
  if (JSON.stringify(urls(goldenResults)) !== JSON.stringify(urls(liveResults))) {
    found.push(['result urls in order', urls(goldenResults), urls(liveResults)]);
  }
  for (const g of goldenResults) {
    const l = liveResults.find((r) => r.url === g.url);
    if (l) found.push(...differences(g, l, `results[${g.url}]`));
  }
  return found;
}

const show = (v) => (v === undefined ? '(missing)' : JSON.stringify(v));
const label = (entry) => `“${entry.q ?? ''}”${Object.keys(entry.filters ?? {}).length ? ` with ${JSON.stringify(entry.filters)}` : ''}`;

const t = tally();
const { check } = t;
let browser;
let exitCode = 2;
try {
  const started = Date.now();
  const origin = await listen(server);
  browser = await launch(chromium);
  const context = await browser.newContext();
  await context.route((u) => u.origin !== origin, (route) => route.abort('blockedbyclient'));
  const page = await context.newPage();
  await page.goto(`${origin}/search/`);
  const recorded = await page.evaluate(record, QUERIES.map(({ q, filters }) => ({ q, filters })));
  // Fields in a fixed order, reading order for a person; the keys of maps sorted.
  const live = {
    queries: recorded.queries.map((entry, i) => ({
      why: QUERIES[i].why,
      q: entry.q,
      filters: sortedKeys(entry.filters),
      count: entry.count,
      unfiltered_count: entry.unfiltered_count,
      response_filters: sortedKeys(entry.response_filters),
      results: entry.results.map((r) => ({ ...r, meta: sortedKeys(r.meta), filters: sortedKeys(r.filters) })),
    })),
    filters: sortedKeys(recorded.filters),
    pages: recorded.pages,
  };

  // The index holds exactly the pages the build marked for it, in the search page's language.
  const marked = markedPages(root, 'en-GB');
  check(JSON.stringify(live.pages) === JSON.stringify(marked), 'the index holds every marked page and no other',
    `in the index only: ${live.pages.filter((p) => !marked.includes(p)).join(' ') || '-'}; marked only: ${marked.filter((p) => !live.pages.includes(p)).join(' ') || '-'}`);

  // The Welsh search page searches the Welsh pages, and only them.
  await page.goto(`${origin}/cy/search/`);
  const welsh = await page.evaluate(resultUrls, 'blaenoriaeth');
  check(welsh.length > 0 && welsh.every((u) => u.startsWith('/cy/')), 'the Welsh search page finds Welsh pages only',
    welsh.join(' ') || 'no results');
  const english = await page.evaluate(resultUrls, 'priority');
  check(english.every((u) => u.startsWith('/cy/')), 'an English word finds no English page from the Welsh search page', english.join(' '));

  if (update) {
    fs.writeFileSync(GOLDEN, `${JSON.stringify(live, null, 2)}\n`);
    console.log(`search-golden: wrote ${path.relative(process.cwd(), GOLDEN)} (${live.queries.length} queries, ${live.pages.length} pages)`);
  } else {
    let golden;
    try { golden = JSON.parse(fs.readFileSync(GOLDEN, 'utf8')); } catch (err) { setupFail('search-golden', `cannot read ${GOLDEN}: ${err.message}; record it with UPDATE_GOLDEN=1`); }
    check(golden.queries.length === QUERIES.length && golden.queries.every((g, i) => g.q === QUERIES[i].q && JSON.stringify(g.filters) === JSON.stringify(sortedKeys(QUERIES[i].filters ?? {}))),
      'the golden holds the same queries as the script', 'record it again with UPDATE_GOLDEN=1');
    for (const [i, entry] of live.queries.entries()) {
      const diffs = queryDifferences(golden.queries[i], entry);
      check(diffs.length === 0, `query ${label(entry)} (${entry.why}) gives what it gave`,
        diffs.map(([at, was, now]) => `\n    ${at}: golden ${show(was)}\n    ${' '.repeat(at.length)}  now    ${show(now)}`).join(''));
    }
    const filterDiffs = differences(golden.filters, live.filters);
    check(filterDiffs.length === 0, "the index's filters are what they were",
      filterDiffs.map(([at, was, now]) => `\n    filters.${at}: golden ${show(was)}, now ${show(now)}`).join(''));
    const lost = golden.pages.filter((p) => !live.pages.includes(p));
    const gained = live.pages.filter((p) => !golden.pages.includes(p));
    check(lost.length + gained.length === 0, "the index's pages are what they were",
      `no longer indexed: ${lost.join(' ') || '-'}; newly indexed: ${gained.join(' ') || '-'}`);
  }
  // Each query's results are non-trivial where the golden expects some (a test that records
  // nothing cannot fail): at least 15 of the 20 queries find something.
  check(live.queries.filter((e) => e.count > 0).length >= 15, 'most queries find something', String(live.queries.map((e) => e.count)));
  await context.close();
  console.log(`search-golden: ${live.queries.length} queries, ${live.pages.length} pages indexed, ${Date.now() - started} ms`);
  console.log(`search-golden: ${t.passed} passed, ${t.failed} failed`);
  exitCode = t.failed ? 1 : 0;
} catch (err) {
  console.log(`search-golden: error: ${err?.stack || err}`);
} finally {
  await browser?.close().catch(() => {});
  server.close();
}
process.exit(exitCode);
