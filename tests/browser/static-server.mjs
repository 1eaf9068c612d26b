// The static file server the browser checks share: serves a built site's folder on
// 127.0.0.1 under a base path, and never a file outside it.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

export const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg',
  '.pdf': 'application/pdf', '.json': 'application/json', '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  // Anything else (Pagefind's .pagefind and .pf_* files, gzip it unpacks itself) is
  // application/octet-stream.
};

/** Maps an (encoded) URL pathname to an existing file under root (a real path), or null. */
export function fileFor(root, base, pathname) {
  if (!pathname.startsWith(base)) return null;
  let rel;
  try { rel = decodeURIComponent(pathname.slice(base.length)); } catch { return null; }
  if (rel.includes('\0') || rel.split(/[\\/]/).includes('..')) return null;
  let file = path.resolve(root, rel);
  try {
    if (fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    file = fs.realpathSync(file); // also catches symlinks that leave root
    if (file !== root && !file.startsWith(root + path.sep)) return null;
    return fs.statSync(file).isFile() ? file : null;
  } catch {
    return null;
  }
}

/**
 * A server for root under base. `headers` go with every response; `onMissing(pathname)` is
 * told of each 404. Folder URLs without their slash are redirected to it.
 */
export function staticServer(root, base, { headers = {}, onMissing = () => {} } = {}) {
  return http.createServer((req, res) => {
    // WHATWG URL parsing already collapses literal `..` segments; fileFor() also
    // rejects decoded ones (`%2e%2e`, `..%2f`) and anything that resolves outside root.
    const url = new URL(req.url, 'http://127.0.0.1');
    const file = ['GET', 'HEAD'].includes(req.method) ? fileFor(root, base, url.pathname) : null;
    if (!file) {
      onMissing(url.pathname);
      res.writeHead(404, { 'content-type': 'text/plain', ...headers });
      res.end('not found');
      return;
    }
    if (file.endsWith(`${path.sep}index.html`) && !url.pathname.endsWith('/') && !url.pathname.endsWith('index.html')) {
      res.writeHead(301, { location: `${url.pathname}/${url.search}` }); res.end(); return; // folder URL needs its slash
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream', ...headers });
    if (req.method === 'HEAD') res.end(); else fs.createReadStream(file).pipe(res);
  });
}
