#!/usr/bin/env node
// Browser accessibility audit of a built plainsight site.
//
//   node tests/browser/audit.mjs --dir <output folder> --base <base path> [--csp <policy>] [--json <file>]
//        [--targets <path#id>,<path#id>...]
//
// Serves --dir on 127.0.0.1 (random port) under --base, opens every *.html page in
// headless Chromium and runs axe-core (light and dark colour scheme) plus custom
// checks: skip link, footnotes, links, titles, reflow at 320px and table regions.
// Prints `FAIL <page> [<check>] <detail>` per finding and one summary line.
// Summary: `audit: <P> pages, <A> axe violations, <C> custom findings (<N> custom checks
// run), <T> ms`. A counts axe-light + axe-dark findings (one per rule per page and
// scheme); N counts check executions, 6 per page: footnotes, links, titles, skip-link,
// reflow and table-region (so N = P x 6 when every page loads), 7 with --csp.
// --csp: every response carries this Content-Security-Policy (the one netlify.toml sends),
// and any violation a page causes while loading is a `csp` finding.
// --targets: pages opened at a #fragment (paths under --base, e.g. `metrics/x/#2021-12`), so
// what the fragment's target looks like (a highlighted, focused table row) is checked by axe
// too, light and dark; a missing target is a `links` finding. Not counted in P or N.
// Exit codes: 0 = no findings, 1 = findings, 2 = setup problem (bad arguments,
// Chromium or node_modules missing, empty site, unexpected error).
// Network: the server listens on 127.0.0.1 only, and every browser request to any
// other origin is aborted; external links are never fetched.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileFor as staticFileFor, staticServer } from './static-server.mjs';
import { executablePath, launch, listen } from './harness.mjs';

const started = performance.now();
const setupFail = (msg) => { console.log(`audit: ${msg}`); process.exit(2); };
const NPM_HINT = "run 'npm ci --ignore-scripts' in tests/browser";

// ---- arguments -------------------------------------------------------------
const args = {};
for (let i = 2; i < process.argv.length; i += 2) {
  const [key, value] = [process.argv[i], process.argv[i + 1]];
  if (!['--dir', '--base', '--csp', '--json', '--targets'].includes(key) || value === undefined) {
    setupFail('usage: node audit.mjs --dir <output folder> --base <base path> [--csp <policy>] [--json <file>] [--targets <path#id>,...]');
  }
  args[key.slice(2)] = value;
}
if (!args.dir || !args.base) setupFail('--dir and --base are required');
const base = args.base;
if (!base.startsWith('/') || !base.endsWith('/')) setupFail(`--base must start and end with '/': ${base}`);
if (!fs.existsSync(args.dir) || !fs.statSync(args.dir).isDirectory()) setupFail(`--dir is not a folder: ${args.dir}`);
const root = fs.realpathSync(args.dir);

// ---- dependencies (checked before anything starts) --------------------------
if (!fs.existsSync(executablePath)) {
  setupFail(`Chromium not found at ${executablePath}; install it with: apt-get update && apt-get install -y chromium`);
}
let axeSource, chromium;
try {
  axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  ({ chromium } = await import('playwright-core'));
} catch {
  setupFail(NPM_HINT);
}

// ---- the server (shared with search.mjs) -------------------------------------
const fileFor = (pathname) => staticFileFor(root, base, pathname);
const server = staticServer(root, base, { headers: args.csp ? { 'content-security-policy': args.csp } : {} });

// ---- pages -----------------------------------------------------------------
function htmlFiles(dir, rel = '') {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) return htmlFiles(path.join(dir, e.name), r);
    return e.isFile() && e.name.endsWith('.html') ? [r] : [];
  });
}
const pages = htmlFiles(root).sort();
if (pages.length === 0) setupFail(`no .html files under ${args.dir}`); // an empty build is not a pass

/** ids found in an HTML file (regex, cached per file), for #fragment checks. */
const idCache = new Map();
function idsIn(file) {
  if (!idCache.has(file)) {
    const html = fs.readFileSync(file, 'utf8');
    const ids = [...html.matchAll(/\sid\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)].map((m) => (m[1] ?? m[2])
      .replace(/&quot;/g, '"').replace(/&#0*39;|&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
    idCache.set(file, new Set(ids));
  }
  return idCache.get(file);
}

// ---- in-page probes (run inside Chromium via page.evaluate) -------------------
/** Footnote references and backlinks; returns problem strings. */
function probeFootnotes() {
  const problems = [];
  const frag = (a) => { // decoded fragment of a same-document link, else null
    const u = new URL(a.href, location.href);
    if (!a.getAttribute('href')?.includes('#') || u.href.split('#')[0] !== location.href.split('#')[0]) return null;
    try { return decodeURIComponent(u.hash.slice(1)); } catch { return u.hash.slice(1); }
  };
  const refs = new Set(document.querySelectorAll('a[role="doc-noteref"], sup a[href^="#fn"]'));
  for (const ref of refs) {
    const name = `reference ${ref.id ? `#${ref.id}` : `"${ref.textContent.trim()}"`} (href ${ref.getAttribute('href')})`;
    const id = frag(ref);
    const note = id && document.getElementById(id);
    if (!note) { problems.push(`${name}: note not found`); continue; }
    if (note.tagName !== 'LI' || !note.closest('[role="doc-endnotes"]')) {
      problems.push(`${name}: target is not an <li> inside role="doc-endnotes"`); continue;
    }
    if (!ref.id) { problems.push(`${name}: has no id for a backlink to return to`); continue; }
    const back = [...note.querySelectorAll('a[role="doc-backlink"]')].some((b) => frag(b) === ref.id);
    if (!back) problems.push(`${name}: note #${id} has no doc-backlink to #${ref.id}`);
  }
  for (const b of document.querySelectorAll('a[role="doc-backlink"]')) {
    const id = frag(b);
    const target = id && document.getElementById(id);
    if (!target || target.getAttribute('role') !== 'doc-noteref') {
      problems.push(`backlink (href ${b.getAttribute('href')}) does not point at a role="doc-noteref" element`);
    }
  }
  return problems;
}

/** Everything the links/titles checks need from the DOM. */
function probeDom() {
  const links = [];
  for (const a of document.querySelectorAll('a[href]')) links.push({ raw: a.getAttribute('href'), url: a.href });
  for (const l of document.querySelectorAll('link[rel~="stylesheet" i][href]')) links.push({ raw: l.getAttribute('href'), url: l.href });
  for (const i of document.querySelectorAll('img[src]')) links.push({ raw: i.getAttribute('src'), url: i.src });
  return { title: document.title.trim(), links, ids: [...document.querySelectorAll('[id]')].map((e) => e.id) };
}

/** Accessible text of the focused element, whether it skips to <main>, and its box. */
function probeFocus() {
  const el = document.activeElement;
  const main = document.querySelector('main');
  const href = el?.getAttribute('href') || '';
  let target = null;
  if (el?.tagName === 'A' && href.startsWith('#')) {
    try { target = document.getElementById(decodeURIComponent(href.slice(1))); } catch { /* bad escape */ }
  }
  const named = (el?.getAttribute('aria-labelledby') || '').split(/\s+/).map((id) => document.getElementById(id)?.textContent || '').join(' ');
  const text = (named.trim() || el?.getAttribute('aria-label') || el?.innerText || el?.textContent || '').trim();
  const r = el?.getBoundingClientRect();
  return {
    desc: el ? `<${el.tagName.toLowerCase()}${href ? ` href="${href}"` : ''}>` : 'nothing',
    isSkip: el?.tagName === 'A' && !!main && target === main, text,
    visible: !!r && r.width > 1 && r.height > 1 && r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight,
  };
}

/** Reflow at the current (320px) viewport and table regions; returns [check, detail] pairs. */
function probeReflow() {
  const out = [];
  const vw = window.innerWidth;
  const sw = document.documentElement.scrollWidth;
  if (sw > vw + 1) out.push(['reflow', `page scrolls horizontally: scrollWidth ${sw}px > viewport ${vw}px`]);
  const scrolls = (el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX) &&
    (el.getAttribute('role') === 'region' || (el.tagName === 'PRE' && el.getAttribute('tabindex') === '0'));
  const inScroller = (el) => { for (let p = el.parentElement; p; p = p.parentElement) if (scrolls(p)) return true; return false; };
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? `#${el.id}` : '') +
    [...el.classList].map((c) => `.${c}`).join('');
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.right <= vw + 1 || inScroller(el)) continue;
    if (wide.some((w) => w.contains(el))) continue; // report only the outermost offender
    wide.push(el);
    out.push(['reflow', `${describe(el)} extends to ${Math.round(r.right)}px, past the ${vw}px viewport, outside a scrollable region`]);
  }
  for (const pre of document.querySelectorAll('pre')) { // overflowing code must scroll by keyboard itself
    if (pre.scrollWidth > pre.clientWidth + 1 && !scrolls(pre) && !inScroller(pre)) {
      out.push(['reflow', `${describe(pre)} overflows but is not a scroll region (needs tabindex="0" and overflow-x auto)`]);
    }
  }
  document.querySelectorAll('table').forEach((table, n) => {
    const region = table.parentElement?.closest('[role="region"]');
    const labelled = (region?.getAttribute('aria-labelledby') || '').split(/\s+/)
      .some((id) => document.getElementById(id)?.textContent.trim());
    const name = region && ((region.getAttribute('aria-label') || '').trim() || labelled);
    if (!region) out.push(['table-region', `table ${n + 1} is not inside a role="region" wrapper`]);
    else if (region.getAttribute('tabindex') !== '0') out.push(['table-region', `table ${n + 1}: its region lacks tabindex="0"`]);
    else if (!name) out.push(['table-region', `table ${n + 1}: its region has no accessible name`]);
  });
  return out;
}

// ---- audit run ---------------------------------------------------------------
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const findings = pages.map(() => []); // per page, so output stays in page order
let customChecks = 0; // +1 per (page, custom check) executed; see the header comment
let browser;

/** Injects axe-core into the loaded page and returns one detail string per violation. */
async function runAxe(page) {
  // Evaluated over the DevTools protocol rather than added as a <script>, which the page's
  // own Content-Security-Policy would (rightly) refuse.
  await page.evaluate(axeSource);
  const result = await page.evaluate((values) => window.axe.run(document, { runOnly: { type: 'tag', values } }), AXE_TAGS);
  return result.violations.map((v) => {
    const targets = v.nodes.slice(0, 3).map((n) => n.target.flat().join(' '));
    const more = v.nodes.length > 3 ? ` (+${v.nodes.length - 3} more)` : '';
    return `${v.id} (${v.impact}): ${targets.join(', ')}${more} - ${v.help}`;
  });
}

/** Link check: same-origin targets must exist, and so must their #fragments. */
function checkLinks(dom, pageUrl, origin, add) {
  const seen = new Set();
  for (const { raw, url } of dom.links) {
    let u;
    try { u = new URL(url); } catch { add(`unparsable URL "${raw}"`); continue; }
    if (u.origin !== origin || seen.has(u.href)) continue; // external (other origin, mailto:, tel:) or done
    seen.add(u.href);
    let fragment = u.hash.slice(1);
    try { fragment = decodeURIComponent(fragment); } catch { /* keep it encoded */ }
    if (u.href.split('#')[0] === pageUrl.split('#')[0]) { // same page: check the live DOM
      if (fragment && !dom.ids.includes(fragment)) add(`"${raw}": no element with id "${fragment}" on this page`);
      continue;
    }
    const file = fileFor(u.pathname);
    if (!file) add(`"${raw}": target ${u.pathname} does not exist`);
    else if (fragment && file.endsWith('.html') && !idsIn(file).has(fragment)) {
      add(`"${raw}": ${path.relative(root, file)} has no element with id "${fragment}"`);
    }
  }
}

/** Runs every check on page i, using this worker's own light, dark and narrow pages. */
async function auditPage(i, tabs, origin, titles) {
  const rel = pages[i];
  const url = origin + base + rel.replace(/(^|\/)index\.html$/, '$1').split('/').map(encodeURIComponent).join('/');
  const add = (check) => (detail) => findings[i].push({ page: rel, check, detail });

  // Light: footnotes, links and title from the DOM, then axe.
  const response = await tabs.light.goto(url);
  if (!response?.ok()) add('links')(`page itself answered HTTP ${response?.status()} at ${url}`);
  (await tabs.light.evaluate(probeFootnotes)).forEach(add('footnotes'));
  const dom = await tabs.light.evaluate(probeDom);
  checkLinks(dom, tabs.light.url(), origin, add('links'));
  titles[i] = dom.title; // titles are judged across all pages at the end
  customChecks += 3;
  if (args.csp) {
    const violations = await tabs.light.evaluate(() => window.__cspViolations || []);
    violations.forEach(add('csp'));
    customChecks++;
  }
  (await runAxe(tabs.light)).forEach(add('axe-light'));

  // Dark: axe only.
  await tabs.dark.goto(url);
  (await runAxe(tabs.dark)).forEach(add('axe-dark'));

  // Skip link, on a fresh load: Tab once, then Enter must move focus into <main>.
  await tabs.light.goto(url);
  await tabs.light.keyboard.press('Tab');
  const f = await tabs.light.evaluate(probeFocus);
  const skip = add('skip-link');
  if (!f.isSkip) skip(`first Tab focuses ${f.desc}, not a link to the <main> element's id`);
  else if (!f.text) skip(`skip link ${f.desc} has no accessible text`);
  else {
    if (!f.visible) skip(`skip link ${f.desc} is not visible when focused`);
    await tabs.light.keyboard.press('Enter');
    await tabs.light.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
    if (!(await tabs.light.evaluate(() => !!document.activeElement?.closest('main')))) {
      skip('after activating the skip link, focus is not on or inside <main>');
    }
  }
  customChecks++;

  // Reflow and table regions at 320 CSS px.
  await tabs.narrow.goto(url);
  for (const [check, detail] of await tabs.narrow.evaluate(probeReflow)) add(check)(detail);
  customChecks += 2;
}

/** axe, light and dark, on a page opened at a #fragment whose target must exist. */
async function auditTarget(target, tabs, origin, out) {
  const add = (check) => (detail) => out.push({ page: target, check, detail });
  const url = origin + base + target;
  const id = decodeURIComponent(target.split('#')[1] || '');
  for (const scheme of ['light', 'dark']) {
    const response = await tabs[scheme].goto(url);
    if (!response?.ok()) add('links')(`${scheme}: page answered HTTP ${response?.status()} at ${url}`);
    const at = await tabs[scheme].evaluate((i) => !!document.getElementById(i) && document.querySelector(':target')?.id === i, id);
    if (!at) add('links')(`${scheme}: no element with id "${id}" is the :target`);
    (await runAxe(tabs[scheme])).forEach(add(`axe-${scheme}`));
  }
}

let exitCode = 2;
try {
  const origin = await listen(server);
  browser = await launch(chromium, { quic: false });
  const ctx = {
    light: await browser.newContext({ colorScheme: 'light' }),
    dark: await browser.newContext({ colorScheme: 'dark' }),
    narrow: await browser.newContext({ colorScheme: 'light', viewport: { width: 320, height: 800 } }),
  };
  for (const c of Object.values(ctx)) {
    c.setDefaultTimeout(30_000);
    // Record what the Content-Security-Policy refuses (installed by the DevTools protocol,
    // before any of the page's own code, and not subject to the policy itself).
    await c.addInitScript(() => {
      window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        window.__cspViolations.push(`${e.effectiveDirective} refused ${e.blockedURI || 'inline code'}` +
          `${e.sourceFile ? ` (${e.sourceFile}:${e.lineNumber})` : ''}`);
      });
    });
    // Never let a page reach anything but our own server (external images, fonts, ...).
    await c.route((u) => u.origin !== origin, (route) => route.abort('blockedbyclient'));
  }

  // Two workers pulling pages off a shared queue (the machine has 2 cores).
  const titles = [];
  let next = 0;
  const worker = async () => {
    const tabs = { light: await ctx.light.newPage(), dark: await ctx.dark.newPage(), narrow: await ctx.narrow.newPage() };
    while (next < pages.length) await auditPage(next++, tabs, origin, titles);
  };
  await Promise.all([worker(), worker()]);
  const targets = (args.targets || '').split(',').filter(Boolean);
  const targetFindings = [];
  if (targets.length) {
    const tabs = { light: await ctx.light.newPage(), dark: await ctx.dark.newPage() };
    for (const t of targets) await auditTarget(t, tabs, origin, targetFindings);
    console.log(`targets: ${targets.length} pages at a #fragment checked by axe, light and dark`);
  }

  // Titles: non-empty and unique among the site's pages in one language (a page and its
  // version in another language may share a title that is not translated yet: hreflang
  // links them, and each language's readers see their own).
  const language = (p) => (p.match(/^([a-z]{2,3}(?:-[A-Za-z0-9]+)*)\//) && fs.existsSync(path.join(root, p.split('/')[0], '404.html')) ? p.split('/')[0] : '');
  titles.forEach((t, i) => {
    const add = (detail) => findings[i].push({ page: pages[i], check: 'titles', detail });
    const others = pages.filter((_, j) => j !== i && titles[j] === t && language(pages[j]) === language(pages[i]));
    if (!t) add('document.title is empty');
    else if (others.length) add(`title "${t}" is also used by ${others.join(', ')}`);
  });

  const all = [...findings.flat(), ...targetFindings];
  for (const f of all) console.log(`FAIL ${f.page} [${f.check}] ${f.detail}`);
  const axeViolations = all.filter((f) => f.check.startsWith('axe-')).length;
  const customFindings = all.length - axeViolations;
  const ms = Math.round(performance.now() - started);
  console.log(`audit: ${pages.length} pages, ${axeViolations} axe violations, ${customFindings} custom findings (${customChecks} custom checks run), ${ms} ms`);
  if (args.json) {
    fs.writeFileSync(args.json, `${JSON.stringify({ pages: pages.length, axeViolations, customFindings, customChecks, ms, findings: all }, null, 2)}\n`);
  }
  exitCode = all.length ? 1 : 0;
} catch (err) {
  console.log(`audit: error: ${err?.stack || err}`);
} finally {
  await browser?.close().catch(() => {});
  server.close();
}
process.exit(exitCode);
