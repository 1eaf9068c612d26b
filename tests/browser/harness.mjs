// What the check scripts of tests/browser share: their `--key value` arguments, the tools they
// load (Playwright's Chromium, axe-core), and the tally of their checks. Exit code 2 means a
// script could not be set up; 1 that a check failed.
import fs from 'node:fs';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The `--key value` pairs after the script's name. */
export function parseArgs(argv = process.argv) {
  const args = {};
  for (let i = 2; i < argv.length; i += 2) args[argv[i].replace(/^--/, '')] = argv[i + 1];
  return args;
}

/** Stop: script `name` could not be set up, for `why`. */
export function setupFail(name, why) {
  console.log(`${name}: ${why}`);
  process.exit(2);
}

/** Playwright's `chromium`, and axe-core's source (`axeSource`) when `axe` is asked for. */
export function tools(name, { axe = false } = {}) {
  try {
    const { chromium } = require('playwright-core');
    const axeSource = axe ? fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8') : undefined;
    return { chromium, axeSource };
  } catch {
    return setupFail(name, "run 'npm ci --ignore-scripts' in tests/browser");
  }
}

/** A tally of checks: `check(ok, what, detail)` counts one and prints a failure (every check,
 *  with `verbose`); `passed` and `failed` are the counts so far. */
export function tally({ verbose = false } = {}) {
  const t = { passed: 0, failed: 0 };
  t.check = (ok, what, detail = '') => {
    if (ok) t.passed++; else t.failed++;
    if (verbose || !ok) console.log(`${ok ? 'ok' : 'FAIL'} ${what}${detail ? `: ${detail}` : ''}`);
  };
  return t;
}

/** The Chromium the scripts drive: `CHROMIUM`, else Debian's. */
export const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';

/** Headless Chromium as every script starts it: without the sandbox (CI runs as root) and
 *  without its own network traffic (updates, sync; QUIC too unless `quic`). */
export function launch(chromium, { quic = true } = {}) {
  const args = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run'];
  if (!quic) args.push('--disable-quic');
  return chromium.launch({ executablePath, args });
}

/** Start `server` on a free loopback port; resolves to its origin. */
export async function listen(server) {
  await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${server.address().port}`;
}

/** Start `plainsight serve` (binary `bin`) on site `root` on a free loopback port, with `env`
 *  added to the environment. Resolves to `{ server, url }` (the child process and the site's
 *  address) once it prints its address; rejects if it exits first or prints none in 60 s. */
export async function serve(bin, root, env = {}) {
  const server = spawn(bin, ['serve', '--root', root, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stderr = '';
  server.stderr.on('data', (d) => { stderr += d; });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve printed no URL in 60 s; stderr:\n${stderr}`)), 60_000);
    server.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/ at (http:\/\/127\.0\.0\.1:\d+\/\S*)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    server.on('exit', (code) => { clearTimeout(timer); reject(new Error(`serve exited (${code}):\n${stderr}`)); });
  }).catch((e) => { server.kill(); throw e; });
  return { server, url };
}
