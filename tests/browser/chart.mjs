#!/usr/bin/env node
// What a screen reader gets from a chart, read from Chromium's accessibility tree, and whether
// the chart's marks and a commitments scorecard's segments meet 3:1 non-text contrast in light
// and dark mode and with forced colours.
//
//   node chart.mjs --dir <built site> --page <URL path, e.g. /metrics/x/>
//
// Files are served from --dir through the browser's request routing (no server, no network).
// Prints one JSON line: {"images":[{"name","description"}...],"contrast":{"light":{...},"dark":{...},
// "forced":{...}},"scorecard":{"light":ratio,"dark":ratio,"forced":ratio}} (scorecard: when the
// page has one, the lowest ratio of its segments to the page).
// and exits 0, or prints `chart: FAIL <reason>` and exits 1.
import fs from 'node:fs';
import path from 'node:path';
import { launch } from './harness.mjs';

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
if (!args.dir || !args.page) { console.log('usage: node chart.mjs --dir D --page P'); process.exit(2); }
const root = fs.realpathSync(args.dir);
const { chromium } = await import('playwright-core');
const origin = 'http://plainsight.test';
const types = { '.html': 'text/html', '.css': 'text/css', '.svg': 'image/svg+xml' };

// Files by URL path, never outside the folder.
const route = async (r) => {
  const url = new URL(r.request().url());
  if (url.origin !== origin) return r.abort('blockedbyclient');
  let file = path.join(root, decodeURIComponent(url.pathname));
  if (!file.startsWith(root)) return r.abort('accessdenied');
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
  if (!fs.existsSync(file)) return r.fulfill({ status: 404, body: 'not found' });
  return r.fulfill({ path: file, contentType: types[path.extname(file)] || 'application/octet-stream' });
};

// WCAG relative luminance and contrast of two `rgb(...)` colours.
const lum = (rgb) => {
  const [r, g, b] = rgb.match(/[\d.]+/g).slice(0, 3).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const ratio = (a, b) => {
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return Math.round(((x + 0.05) / (y + 0.05)) * 100) / 100;
};

let browser;
try {
  browser = await launch(chromium);
  const out = { images: [], contrast: {}, scorecard: {} };
  for (const scheme of ['light', 'dark', 'forced']) {
    const context = await browser.newContext(scheme === 'forced'
      ? { forcedColors: 'active' } : { colorScheme: scheme });
    await context.route('**/*', route);
    const page = await context.newPage();
    await page.goto(origin + args.page);
    if (scheme === 'light') {
      const cdp = await context.newCDPSession(page);
      const { nodes } = await cdp.send('Accessibility.getFullAXTree');
      for (const n of nodes) {
        if (n.ignored || n.role?.value !== 'image') continue;
        out.images.push({ name: n.name?.value ?? '', description: n.description?.value ?? '' });
      }
    }
    out.contrast[scheme] = await page.evaluate(() => {
      const bg = getComputedStyle(document.body).backgroundColor;
      const stroke = (sel) => { const e = document.querySelector(sel); return e && getComputedStyle(e).stroke; };
      const fill = (sel) => { const e = document.querySelector(sel); return e && getComputedStyle(e).fill; };
      return { background: bg, series: stroke('.chart .chart-series') || fill('.chart .chart-bar'),
        target: stroke('.chart .chart-target'), axis: stroke('.chart .chart-axis') };
    });
    const c = out.contrast[scheme];
    for (const mark of ['series', 'target', 'axis']) {
      if (c[mark]) c[`${mark}_ratio`] = ratio(c[mark], c.background);
    }
    // A scorecard's segments against the page: a patterned segment by its pattern's ground,
    // a hollow one by its outline. Its lowest ratio, and each segment's colour.
    const sc = await page.evaluate(() => {
      const colour = (s) => {
        const style = getComputedStyle(s);
        const url = style.fill.match(/url\("?#([^")]+)"?\)/);
        if (url) return getComputedStyle(document.getElementById(url[1]).querySelector('.scorecard-ground')).fill;
        return s.classList.contains('scorecard-hollow') ? style.stroke : style.fill;
      };
      const segments = [...document.querySelectorAll('.scorecard-bar .scorecard-segment')];
      return { background: getComputedStyle(document.body).backgroundColor, colours: segments.map(colour) };
    });
    if (sc.colours.length) {
      out.scorecard[scheme] = Math.min(...sc.colours.map((f) => ratio(f, sc.background)));
    }
    await context.close();
  }
  console.log(JSON.stringify(out));
} catch (e) {
  console.log(`chart: FAIL ${e.message}`);
  process.exitCode = 1;
} finally {
  if (browser) await browser.close();
}
