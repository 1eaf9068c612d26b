#!/usr/bin/env node
// Chart labels never overlap each other, the line, or the edge of the chart: measured in
// headless Chromium from the rendered boxes, at 320 px and 1280 px wide.
//
//   node labels.mjs --dir <built site> --pages /metrics/a/,/metrics/b/
//   node labels.mjs --dir <built site> --all      (every page under /metrics/ with an svg.chart)
//   node labels.mjs --self-test                   (proves the checker reports what it must)
//
// For every `svg.chart` on a page, every `<text>` in it is a label. Its box is the tight box of
// its glyphs' ink (each character's ink measured with the text's own computed font, placed at
// the character's position in the drawing and mapped to the screen through getScreenCTM()), so
// neither the font's line gap nor any padding counts. Findings, with a tolerance of 0.5 px:
//   overlap  two labels' boxes intersect;
//   edge     a label is not wholly inside the svg's rendered box (the svg has overflow: visible,
//            so a clipped label would not show the fault: the box does);
//   series   a `.chart-series` segment (polyline, polygon, line or path, whichever the chart
//            draws; a path's subpaths stay apart, so a gap is not a segment) passes through the
//            label, widened by half the line's rendered stroke;
//   point    the label covers the centre of a `.chart-point`.
// Gridlines (`.chart-grid line`) are not checked: axis labels sit beside them by design.
//
// Files are served from --dir through the browser's request routing (no server, no network).
// Prints one JSON line {"checked": {"pages", "charts", "labels", "widths"}, "findings": [{page,
// width, chart, a, b, kind}...]}: charts and labels count every measurement (each chart once
// per width); a label is {text, x, y} (its x and y attributes, in the drawing's units), `chart`
// the svg's <title>. Exits 0 with no findings, 1 with findings, 2 when it could not run.
import fs from 'node:fs';
import path from 'node:path';
import { launch } from './harness.mjs';

const WIDTHS = [320, 1280];
const HEIGHT = 900;
const TOLERANCE = 0.5;

const args = {};
for (let i = 2; i < process.argv.length; i++) {
  const key = process.argv[i].replace(/^--/, '');
  if (['all', 'self-test'].includes(key)) args[key] = true;
  else args[key] = process.argv[++i];
}
const usage = 'usage: node labels.mjs --dir <built site> (--pages /a/,/b/ | --all) | --self-test';
if (!args['self-test'] && (!args.dir || !fs.existsSync(args.dir) || !(args.pages || args.all))) {
  console.log(usage);
  process.exit(2);
}
const { chromium } = await import('playwright-core');
const origin = 'http://plainsight.test';
const types = { '.html': 'text/html', '.css': 'text/css', '.svg': 'image/svg+xml', '.js': 'text/javascript' };

/** Serves files under `root` by URL path, never outside it; anything off the origin is refused. */
const router = (root) => async (r) => {
  const url = new URL(r.request().url());
  if (url.origin !== origin) return r.abort('blockedbyclient');
  let file = path.join(root, decodeURIComponent(url.pathname));
  if (file !== root && !file.startsWith(root + path.sep)) return r.abort('accessdenied');
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
  if (!fs.existsSync(file)) return r.fulfill({ status: 404, body: 'not found' });
  return r.fulfill({ path: file, contentType: types[path.extname(file)] || 'application/octet-stream' });
};

/** URL paths of the pages under /metrics/ whose HTML holds an svg.chart. */
function chartPages(root) {
  const found = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'index.html' && /<svg\b[^>]*\bclass="(?:[^"]*\s)?chart[\s"]/.test(fs.readFileSync(p, 'utf8'))) {
        const rel = path.relative(root, path.dirname(p)).split(path.sep).join('/');
        found.push(`/${rel}/`);
      }
    }
  };
  const metrics = path.join(root, 'metrics');
  if (fs.existsSync(metrics)) walk(metrics);
  return found.sort();
}

/**
 * Runs in the page: measures every svg.chart and returns {charts, labels, findings} (with
 * `detail`, each label's ink and layout boxes too). Self-contained: it is serialised into the
 * page.
 */
async function measure({ tolerance, detail }) {
  await document.fonts.ready;
  const ctx = document.createElement('canvas').getContext('2d');
  const map = (m, x, y) => [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f];
  const boxOf = (points) => {
    const xs = points.map((p) => p[0]);
    const ys = points.map((p) => p[1]);
    return { l: Math.min(...xs), t: Math.min(...ys), r: Math.max(...xs), b: Math.max(...ys) };
  };
  const union = (a, b) => (a ? { l: Math.min(a.l, b.l), t: Math.min(a.t, b.t), r: Math.max(a.r, b.r), b: Math.max(a.b, b.b) } : b);
  const shown = (el) => {
    const s = getComputedStyle(el);
    return s.display !== 'none' && s.visibility !== 'hidden' && Number(s.opacity) !== 0;
  };

  /** The text's characters as rendered (whitespace collapsed), each with its computed font. */
  const characters = (text) => {
    const out = [];
    const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const s = getComputedStyle(n.parentElement);
      const font = `${s.fontStyle} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
      for (const ch of n.data.replace(/\s+/g, ' ')) {
        if (ch === ' ' && (out.length === 0 || out.at(-1).ch === ' ')) continue;
        out.push({ ch, font });
      }
    }
    while (out.length && out.at(-1).ch === ' ') out.pop();
    return out;
  };

  // The font's ascent as SVG text lays it out, measured once per font on a probe text with
  // its baseline at 0: each character's extent (its cell, which follows anchors, dy and
  // dominant-baseline) then gives its baseline exactly, where canvas metrics are rounded.
  const probe = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  const probeText = document.createElementNS('http://www.w3.org/2000/svg', 'text');
  probe.appendChild(probeText);
  probeText.textContent = 'X';
  const ascents = new Map();
  const ascent = (font) => {
    if (!ascents.has(font)) {
      probeText.style.font = font;
      document.body.appendChild(probe);
      ascents.set(font, -probeText.getExtentOfChar(0).y);
      probe.remove();
    }
    return ascents.get(font);
  };

  /**
   * The tight box of the text's ink in client pixels; the layout box (font ascent to descent,
   * advance widths) when its characters cannot be matched to the rendered ones.
   */
  const inkBox = (text) => {
    const chars = characters(text);
    const m = text.getScreenCTM();
    if (!m || chars.length !== text.getNumberOfChars()) {
      const r = text.getBoundingClientRect();
      return { box: { l: r.left, t: r.top, r: r.right, b: r.bottom }, layout: true };
    }
    let box = null;
    chars.forEach(({ ch, font }, i) => {
      ctx.font = font;
      const k = ctx.measureText(ch);
      if (k.actualBoundingBoxLeft + k.actualBoundingBoxRight <= 0) return; // no ink: a space
      const cell = text.getExtentOfChar(i);
      const [x, y] = [cell.x, cell.y + ascent(font)]; // the glyph's origin on its baseline
      const x0 = x - k.actualBoundingBoxLeft;
      const x1 = x + k.actualBoundingBoxRight;
      const y0 = y - k.actualBoundingBoxAscent;
      const y1 = y + k.actualBoundingBoxDescent;
      box = union(box, boxOf([map(m, x0, y0), map(m, x1, y0), map(m, x0, y1), map(m, x1, y1)]));
    });
    return { box, layout: false };
  };

  /** A path's `d` as polylines in its own units: one per subpath, curves sampled. */
  const pathLines = (el) => {
    const tokens = (el.getAttribute('d') || '').match(/[MmLlHhVvCcSsQqTtAaZz]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/g) || [];
    const arity = { M: 2, L: 2, H: 1, V: 1, C: 6, S: 4, Q: 4, T: 2, A: 7, Z: 0 };
    const lines = [];
    let cur = null;
    let x = 0; let y = 0; let sx = 0; let sy = 0; let cmd = null; let i = 0;
    const isCmd = (t) => /^[A-Za-z]$/.test(t);
    while (i < tokens.length) {
      if (isCmd(tokens[i])) cmd = tokens[i++];
      else if (!cmd) break;
      const C = cmd.toUpperCase();
      const rel = cmd !== C;
      const a = [];
      while (a.length < arity[C] && i < tokens.length && !isCmd(tokens[i])) a.push(parseFloat(tokens[i++]));
      if (a.length < arity[C]) break; // malformed: the browser stops drawing here too
      if (C === 'Z') {
        if (cur) cur.push([sx, sy]);
        [x, y] = [sx, sy];
        cur = null;
        cmd = null;
        continue;
      }
      if (!cur) { cur = [[x, y]]; lines.push(cur); }
      if (C === 'M') {
        [x, y] = rel ? [x + a[0], y + a[1]] : [a[0], a[1]];
        [sx, sy] = [x, y];
        cur = [[x, y]];
        lines.push(cur);
        cmd = rel ? 'l' : 'L'; // further pairs are line-tos
      } else if (C === 'L') {
        [x, y] = rel ? [x + a[0], y + a[1]] : [a[0], a[1]];
        cur.push([x, y]);
      } else if (C === 'H') {
        x = rel ? x + a[0] : a[0];
        cur.push([x, y]);
      } else if (C === 'V') {
        y = rel ? y + a[0] : a[0];
        cur.push([x, y]);
      } else {
        // A curve: drawn alone from the current point by a scratch path, and sampled.
        const tmp = document.createElementNS('http://www.w3.org/2000/svg', 'path');
        tmp.setAttribute('d', `M${x},${y} ${cmd}${a.join(' ')}`);
        el.parentNode.appendChild(tmp);
        const len = tmp.getTotalLength();
        for (let s = 1; s <= 24; s++) {
          const q = tmp.getPointAtLength((len * s) / 24);
          cur.push([q.x, q.y]);
        }
        tmp.remove();
        const [ex, ey] = a.slice(-2);
        [x, y] = rel ? [x + ex, y + ey] : [ex, ey];
      }
    }
    return lines.filter((l) => l.length > 1);
  };

  /** The series' segments in client pixels, with half its rendered stroke width. */
  const seriesOf = (el) => {
    const parts = ['path', 'polyline', 'polygon', 'line'].includes(el.localName)
      ? [el] : [...el.querySelectorAll('path, polyline, polygon, line')];
    const out = [];
    for (const g of parts) {
      if (!shown(g)) continue;
      const m = g.getScreenCTM();
      const half = (parseFloat(getComputedStyle(g).strokeWidth) || 0) * Math.sqrt(Math.abs(m.a * m.d - m.b * m.c)) / 2;
      let lines;
      if (g.localName === 'path') lines = pathLines(g);
      else if (g.localName === 'line') {
        lines = [[[g.x1.baseVal.value, g.y1.baseVal.value], [g.x2.baseVal.value, g.y2.baseVal.value]]];
      } else {
        const pts = [...g.points].map((p) => [p.x, p.y]);
        if (g.localName === 'polygon' && pts.length) pts.push(pts[0]);
        lines = [pts];
      }
      for (const line of lines) {
        const px = line.map(([x, y]) => map(m, x, y));
        for (let k = 1; k < px.length; k++) out.push({ el: g.localName, from: line[k - 1], to: line[k], p: px[k - 1], q: px[k], half });
      }
    }
    return out;
  };

  /** Whether segment p-q meets the box (Liang-Barsky clipping). */
  const crosses = (p, q, r) => {
    if (r.r <= r.l || r.b <= r.t) return false;
    let t0 = 0; let t1 = 1;
    const dx = q[0] - p[0]; const dy = q[1] - p[1];
    for (const [d, e] of [[-dx, p[0] - r.l], [dx, r.r - p[0]], [-dy, p[1] - r.t], [dy, r.b - p[1]]]) {
      if (d === 0) { if (e < 0) return false; continue; }
      const t = e / d;
      if (d < 0) { if (t > t1) return false; if (t > t0) t0 = t; } else { if (t < t0) return false; if (t < t1) t1 = t; }
    }
    return t0 <= t1;
  };

  const round = (v) => Math.round(v * 10) / 10;
  const name = (el) => {
    const p = el.getNumberOfChars() ? el.getStartPositionOfChar(0) : { x: 0, y: 0 };
    return {
      text: el.textContent.replace(/\s+/g, ' ').trim(),
      x: el.getAttribute('x') ?? String(round(p.x)),
      y: el.getAttribute('y') ?? String(round(p.y)),
    };
  };
  const findings = [];
  const boxes = [];
  let charts = 0; let labels = 0; let layoutBoxes = 0;
  const svgs = [...document.querySelectorAll('svg.chart')];
  svgs.forEach((svg, index) => {
    const frame = svg.getBoundingClientRect();
    if (!shown(svg) || frame.width === 0 || frame.height === 0) return;
    charts++;
    const chart = svg.querySelector('title')?.textContent.trim() || `chart ${index + 1}`;
    const texts = [];
    for (const el of svg.querySelectorAll('text')) {
      if (!shown(el) || el.closest('defs, pattern, symbol, marker, mask, clipPath')) continue;
      const { box, layout } = inkBox(el);
      if (!box) continue; // no ink at all
      if (layout) layoutBoxes++;
      texts.push({ el, box, id: name(el) });
      if (detail) {
        const r = el.getBoundingClientRect();
        boxes.push({ text: name(el).text, ink: box, layout: { l: r.left, t: r.top, r: r.right, b: r.bottom } });
      }
    }
    labels += texts.length;
    const find = (a, b, kind) => findings.push({ chart, a, b, kind });
    texts.forEach((A, i) => {
      for (const B of texts.slice(i + 1)) {
        const w = Math.min(A.box.r, B.box.r) - Math.max(A.box.l, B.box.l);
        const h = Math.min(A.box.b, B.box.b) - Math.max(A.box.t, B.box.t);
        if (w > tolerance && h > tolerance) find(A.id, B.id, 'overlap');
      }
      const out = {
        left: frame.left - A.box.l, right: A.box.r - frame.right,
        top: frame.top - A.box.t, bottom: A.box.b - frame.bottom,
      };
      const past = Object.entries(out).filter(([, by]) => by > tolerance);
      if (past.length) find(A.id, { edge: Object.fromEntries(past.map(([k, by]) => [k, round(by)])) }, 'edge');
    });
    const segments = [...svg.querySelectorAll('.chart-series')].filter(shown).flatMap(seriesOf);
    const points = [...svg.querySelectorAll('.chart-point')].filter(shown).map((c) => {
      const m = c.getScreenCTM();
      const [x, y] = c.localName === 'circle'
        ? [c.cx.baseVal.value, c.cy.baseVal.value]
        : (({ x, y, width, height }) => [x + width / 2, y + height / 2])(c.getBBox());
      return { at: [x, y], px: map(m, x, y) };
    });
    for (const A of texts) {
      for (const s of segments) {
        const r = { l: A.box.l - s.half + tolerance, t: A.box.t - s.half + tolerance, r: A.box.r + s.half - tolerance, b: A.box.b + s.half - tolerance };
        if (crosses(s.p, s.q, r)) {
          find(A.id, { series: s.el, from: s.from.map(round), to: s.to.map(round) }, 'series');
          break; // one finding a label is enough to say the line runs through it
        }
      }
      for (const pt of points) {
        const [x, y] = pt.px;
        const b = A.box;
        if (x > b.l + tolerance && x < b.r - tolerance && y > b.t + tolerance && y < b.b - tolerance) {
          find(A.id, { point: pt.at.map(round) }, 'point');
        }
      }
    }
  });
  return { charts, labels, layoutBoxes, findings, boxes: detail ? boxes : undefined };
}

/** Launches Chromium once; `run(page)` gets a page in a light-scheme context. */
async function withPage(root, run) {
  const browser = await launch(chromium);
  try {
    const context = await browser.newContext({ colorScheme: 'light', viewport: { width: WIDTHS[0], height: HEIGHT } });
    await context.route('**/*', root ? router(root) : (r) => r.abort('blockedbyclient'));
    return await run(await context.newPage());
  } finally {
    await browser.close();
  }
}

/** Measures each page at each width. */
async function checkSite(root, pages) {
  const result = { checked: { pages: pages.length, charts: 0, labels: 0, widths: WIDTHS }, findings: [] };
  await withPage(root, async (page) => {
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: HEIGHT });
      for (const p of pages) {
        const response = await page.goto(origin + p);
        if (!response || !response.ok()) throw new Error(`${p}: HTTP ${response && response.status()}`);
        const m = await page.evaluate(measure, { tolerance: TOLERANCE });
        if (m.charts === 0) throw new Error(`${p} at ${width} px: no svg.chart to check`);
        result.checked.charts += m.charts;
        result.checked.labels += m.labels;
        for (const f of m.findings) result.findings.push({ page: p, width, ...f });
      }
    }
  });
  return result;
}

// The self-test's charts: the stylesheet's chart rules that matter for geometry, and charts
// drawn in the site's 320 x 200 drawing units, one with every fault, one with none.
const SELF_TEST_STYLE = `body { margin: 0; } div { max-width: 32rem; padding: 8px; }
.chart { display: block; width: 100%; height: auto; overflow: visible; }
.chart text { font: 11px/1 system-ui, sans-serif; }
.chart-series { fill: none; stroke: #0b4fa8; stroke-width: 2.5; }`;
const BAD_CHART = `<svg class="chart" viewBox="0 0 320 200" role="img" aria-label="bad"><title>bad</title>
<g class="chart-grid"><line x1="56" y1="60" x2="304" y2="60"/></g>
<text x="56" y="60">Alpha 123</text>
<text x="90" y="63">Beta 456</text>
<text x="290" y="100">Sticking out</text>
<g transform="translate(0 10)"><text x="150" y="110" text-anchor="middle">Crossed</text></g>
<polyline class="chart-series" points="100,116 200,116"/>
<text x="60" y="150">Dotted</text><circle class="chart-point" cx="75" cy="146" r="3"/>
<path class="chart-series" d="M 20 184 L 60 180 M 120 180 l 40 0"/>
<text x="90" y="184" text-anchor="middle">Gap</text>
<path class="chart-series chart-projected" d="M200 40 C 230 40 230 40 250 60"/>
<text x="232" y="48" text-anchor="middle">Curved</text>
<text x="20" y="20">a<tspan font-size="20"> b</tspan></text>
</svg>`;
const CLEAN_CHART = `<svg class="chart" viewBox="0 0 320 200" role="img" aria-label="clean"><title>clean</title>
<text x="56" y="40">Alpha 123</text>
<text x="56" y="70">Beta 456</text>
<text x="300" y="100" text-anchor="end">Inside</text>
<polyline class="chart-series" points="20,180 100,120 200,130 300,60"/>
<circle class="chart-point" cx="100" cy="120" r="3"/><circle class="chart-point" cx="300" cy="60" r="3"/>
<text x="300" y="50" text-anchor="end">60</text>
<path class="chart-series" d="M 20 184 L 60 180 M 120 180 l 40 0"/>
<text x="90" y="184" text-anchor="middle">Gap</text>
<text x="160" y="196" text-anchor="middle">Year</text>
<text x="190" y="40" dominant-baseline="middle">Middle</text>
<text x="150" y="70" dy="6">Shifted</text>
<text transform="rotate(-90 20 100)" x="20" y="100" text-anchor="middle">Rotated</text>
</svg>`;

/** The checker run on the synthetic charts: every fault found, nothing on the clean chart. */
async function selfTest() {
  const problems = [];
  let checks = 0;
  const expect = (ok, what) => { checks++; if (!ok) problems.push(what); };
  await withPage(null, async (page) => {
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: HEIGHT });
      await page.setContent(`<!doctype html><html><head><style>${SELF_TEST_STYLE}</style></head><body><div>${BAD_CHART}</div><div>${CLEAN_CHART}</div></body></html>`);
      const m = await page.evaluate(measure, { tolerance: TOLERANCE, detail: true });
      const at = `${width} px`;
      expect(m.charts === 2 && m.labels === 17, `${at}: 2 charts and 17 labels measured, got ${m.charts} and ${m.labels}`);
      expect(m.layoutBoxes === 0, `${at}: every label measured by its ink, ${m.layoutBoxes} by layout`);
      const bad = m.findings.filter((f) => f.chart === 'bad');
      const has = (kind, text, other) => bad.some((f) => f.kind === kind && f.a.text === text &&
        (other === undefined || (f.b.text ?? f.b.series ?? JSON.stringify(f.b)) === other));
      expect(has('overlap', 'Alpha 123', 'Beta 456'), `${at}: the two overlapping labels are reported`);
      expect(bad.some((f) => f.kind === 'edge' && f.a.text === 'Sticking out' && f.b.edge.right > 0),
        `${at}: the label past the right edge is reported`);
      expect(has('series', 'Crossed', 'polyline'), `${at}: the label the polyline crosses is reported`);
      expect(has('series', 'Curved', 'path'), `${at}: the label the curve crosses is reported`);
      expect(has('point', 'Dotted'), `${at}: the label over a point's centre is reported`);
      expect(!bad.some((f) => f.a.text === 'Gap' || f.b.text === 'Gap'), `${at}: a label in a gap between subpaths is not crossed`);
      expect(!bad.some((f) => f.a.text === 'a b'), `${at}: the label with a larger tspan is clear`);
      expect(bad.length === 5, `${at}: exactly five findings on the bad chart, got ${JSON.stringify(bad)}`);
      const clean = m.findings.filter((f) => f.chart === 'clean');
      expect(clean.length === 0, `${at}: no findings on the clean chart, got ${JSON.stringify(clean)}`);
      // Each ink box lies within the layout box the browser reports, so the mapping to the
      // screen is right (shifted, anchored and rotated labels too), and is smaller, so it is
      // the glyphs' box, not the line's.
      for (const { text, ink, layout } of m.boxes) {
        const inside = ink.l >= layout.l - 1.5 && ink.r <= layout.r + 1.5 && ink.t >= layout.t - 0.5 && ink.b <= layout.b + 0.5;
        const area = (b) => (b.r - b.l) * (b.b - b.t);
        expect(inside && area(ink) < area(layout),
          `${at}: "${text}" ink ${JSON.stringify(ink)} within and tighter than layout ${JSON.stringify(layout)}`);
      }
    }
  });
  return { checks, problems };
}

try {
  if (args['self-test']) {
    const { checks, problems } = await selfTest();
    for (const p of problems) console.log(`labels self-test: FAIL ${p}`);
    console.log(`labels self-test: ${checks - problems.length} passed, ${problems.length} failed`);
    process.exitCode = problems.length ? 1 : 0;
  } else {
    const root = fs.realpathSync(args.dir);
    const pages = args.all ? chartPages(root) : args.pages.split(',').filter(Boolean);
    if (pages.length === 0) throw new Error(`no page with an svg.chart under ${root}/metrics`);
    const result = await checkSite(root, pages);
    console.log(JSON.stringify(result));
    process.exitCode = result.findings.length ? 1 : 0;
  }
} catch (e) {
  console.log(`labels: could not run: ${e.stack || e.message}`);
  process.exitCode = 2;
}
