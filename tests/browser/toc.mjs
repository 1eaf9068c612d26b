#!/usr/bin/env node
// Long documents (issue 21 point 2), measured in headless Chromium at 375 and 1280 px, light
// and dark, on a built demo site: the "On this page" list shows under the title and summary,
// before the body; each of its links lands on its heading (the URL's fragment, the heading the
// :target, in the viewport, and Tab goes on to that heading's self-link); every self-link is
// visible (at least 24 px square, "#" at >= 4.5:1 against what is behind it), named "Link to
// this section: <heading>" while the heading's name stays its text, and reached by Tab; and
// nothing overflows sideways at 375 px.
//
//   node tests/browser/toc.mjs --dir <built demo> [--csp <policy>]
//
// Serves the folder on 127.0.0.1 only. Prints `ok`/`FAIL` lines and `toc: N passed, M failed`;
// exits 0 when none failed, 1 otherwise, 2 on a setup problem.
import fs from 'node:fs';
import { parseArgs, setupFail, tally, tools, launch, listen } from './harness.mjs';
import { staticServer } from './static-server.mjs';

const args = parseArgs();
if (!args.dir || !fs.existsSync(args.dir)) setupFail('toc', 'usage: node toc.mjs --dir <built site> [--csp <policy>]');
const root = fs.realpathSync(args.dir);
const { chromium } = tools('toc');

// The demo's longest report (eight sections and subsections) and a plan, whose list starts
// with its Priorities.
const PAGES = [
  '/reports/2024-02-21-police-and-crime-committee-background/',
  '/plans/police-and-crime-plan-2022-25/',
];

const t = tally({ verbose: true });
const { check } = t;

/** Where the contents list is against the title, summary and body; its links; the self-links. */
function probePage() {
  const box = (el) => { const r = el.getBoundingClientRect(); return { top: r.top + scrollY, bottom: r.bottom + scrollY, left: r.left, right: r.right, width: r.width, height: r.height }; };
  const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const behind = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const nav = document.querySelector('nav.contents');
  const label = nav && document.getElementById(nav.getAttribute('aria-labelledby'));
  return {
    scrollWidth: document.documentElement.scrollWidth,
    h1: box(document.querySelector('h1')),
    header: box(document.querySelector('.doc-header')),
    body: box(document.querySelector('.doc-body')),
    nav: nav && box(nav),
    label: label && { tag: label.tagName, text: label.textContent },
    entries: nav ? [...nav.querySelectorAll('a')].map((a) => a.getAttribute('href')) : [],
    links: [...document.querySelectorAll('.doc-body a.heading-link')].map((a) => {
      const mark = a.querySelector('[aria-hidden="true"]');
      const s = getComputedStyle(mark);
      const heading = a.previousElementSibling;
      return {
        href: a.getAttribute('href'),
        heading: heading.tagName,
        headingId: heading.id,
        headingText: heading.textContent,
        box: box(a),
        headingBox: box(heading),
        visible: s.visibility === 'visible' && Number(s.opacity) === 1 && getComputedStyle(a).display !== 'none',
        contrast: ratio(rgb(s.color), behind(a)),
      };
    }),
    headings: document.querySelectorAll('.doc-body :is(h2, h3)').length - document.querySelectorAll('.doc-body .footnotes h2').length,
  };
}

/** Where a fragment landed: the :target, whether it is in view. */
function probeTarget() {
  const t = document.querySelector(':target');
  const r = t?.getBoundingClientRect();
  return { hash: location.hash, target: t?.id ?? null, inView: !!r && r.top >= -1 && r.bottom <= innerHeight + 1 };
}

async function checkPage(page, origin, path, mode, width) {
  await page.goto(origin + path);
  const p = await page.evaluate(probePage);
  const where = `${mode} ${width}px ${path}`;
  if (width === 375) check(p.scrollWidth <= 375, `${where}: no sideways overflow (scrollWidth ${p.scrollWidth})`);
  check(p.nav && p.nav.height > 0 && p.nav.width > 0, `${where}: the contents list is shown`);
  if (!p.nav) return;
  check(p.nav.top >= p.header.bottom && p.nav.top >= p.h1.bottom, `${where}: under the title and summary (${p.nav.top} >= ${p.header.bottom})`);
  check(p.nav.bottom <= p.body.top, `${where}: before the body (${p.nav.bottom} <= ${p.body.top})`);
  check(p.label?.tag === 'H2' && p.label.text === 'On this page', `${where}: labelled by an h2 "On this page" (${JSON.stringify(p.label)})`);
  check(p.entries.length >= 3, `${where}: lists ${p.entries.length} sections`);
  check(p.links.length === p.headings && p.links.length > 0, `${where}: each of the ${p.headings} ## and ### headings has a self-link (${p.links.length})`);
  for (const l of p.links) {
    check(l.href === `#${l.headingId}`, `${where}: ${l.href} links its own heading #${l.headingId}`);
    check(l.visible && l.box.width >= 24 && l.box.height >= 24, `${where}: ${l.href} is shown, ${l.box.width}x${l.box.height} px`);
    check(l.contrast >= 4.5, `${where}: ${l.href} "#" contrast ${l.contrast.toFixed(2)}:1`);
    const mid = (l.box.top + l.box.bottom) / 2;
    check(mid >= l.headingBox.top && mid <= l.headingBox.bottom && l.box.left >= l.headingBox.right - 1,
      `${where}: ${l.href} sits after its heading's text, on its line`);
  }
  if (width === 1280 && mode === 'light') await checkNames(page, p, where);

  // Each entry lands on its heading; Tab then goes on to that heading's self-link.
  const self = new Set(p.links.map((l) => l.href));
  for (const href of p.entries) {
    await page.goto(origin + path);
    try {
      await Promise.all([page.waitForURL(`**${href}`, { timeout: 5000 }), page.locator(`nav.contents a[href="${href}"]`).click({ timeout: 5000 })]);
    } catch (err) {
      check(false, `${where}: ${href} could not be followed: ${String(err).split('\n')[0]}`);
      continue;
    }
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
    const t = await page.evaluate(probeTarget);
    check(t.hash === href && t.target === href.slice(1) && t.inView, `${where}: ${href} lands on its heading, the :target, in view ${JSON.stringify(t)}`);
    if (self.has(href)) {
      await page.keyboard.press('Tab');
      const next = await page.evaluate(() => document.activeElement?.matches('a.heading-link') ? document.activeElement.getAttribute('href') : document.activeElement?.outerHTML.slice(0, 80));
      check(next === href, `${where}: Tab after ${href} reaches its self-link (got ${next})`);
    }
  }
  await checkKeyboard(page, origin, path, p, where);
}

/** The self-links' accessible names, and the headings' names without them. */
async function checkNames(page, p, where) {
  for (const l of p.links) {
    const name = `Link to this section: ${l.headingText}`;
    const n = await page.getByRole('link', { name, exact: true }).count();
    check(n >= 1, `${where}: a link is named "${name}"`);
    const level = Number(l.heading.slice(1));
    const h = await page.getByRole('heading', { name: l.headingText, exact: true, level }).count();
    check(h >= 1, `${where}: the heading's name is its text alone ("${l.headingText}")`);
  }
}

/** Tab from the top of the page reaches every self-link, and its focus ring shows. */
async function checkKeyboard(page, origin, path, p, where) {
  await page.goto(origin + path);
  const want = new Set(p.links.map((l) => l.href));
  const reached = new Set();
  for (let i = 0; i < 400 && reached.size < want.size; i++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate(() => {
      const a = document.activeElement;
      if (!a?.matches('a.heading-link')) return null;
      const s = getComputedStyle(a);
      return { href: a.getAttribute('href'), ring: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 };
    });
    if (f && f.ring) reached.add(f.href);
  }
  const missed = [...want].filter((h) => !reached.has(h));
  check(missed.length === 0, `${where}: Tab reaches every self-link with a focus ring (missed ${missed.join(' ') || 'none'})`);
}

const server = staticServer(root, '/', { headers: args.csp ? { 'content-security-policy': args.csp } : {} });
let browser;
let code = 2;
try {
  const origin = await listen(server);
  browser = await launch(chromium, { quic: false });
  for (const mode of ['light', 'dark']) {
    for (const width of [375, 1280]) {
      const ctx = await browser.newContext({ colorScheme: mode, viewport: { width, height: width === 375 ? 812 : 800 } });
      await ctx.route((u) => u.origin !== origin, (route) => route.abort('blockedbyclient'));
      const page = await ctx.newPage();
      for (const path of PAGES) await checkPage(page, origin, path, mode, width);
      await ctx.close();
    }
  }
  code = t.failed ? 1 : 0;
} catch (err) {
  console.log(`toc: error: ${err?.stack || err}`);
} finally {
  console.log(`toc: ${t.passed} passed, ${t.failed} failed`);
  await browser?.close().catch(() => {});
  server.close();
}
process.exit(code);
