// A small static server for dist/ on 127.0.0.1 (no dependencies): correct MIME types
// (application/wasm), optional strict Content-Security-Policy, optional path prefix.
//   node scripts/serve.mjs [--port 8080] [--root dist] [--csp] [--prefix /tools/llm-memviz/]
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';

export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:";

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export function startServer({ port = 8080, root = 'dist', csp = false, prefix = '/', host = '127.0.0.1', extra = {}, holdWasm = false } = {}) {
  const base = resolve(root);
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://localhost');
      let path = decodeURIComponent(url.pathname);
      if (extra[path]) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(extra[path]);
        return;
      }
      if (!path.startsWith(prefix)) {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
        return;
      }
      path = path.slice(prefix.length);
      // Tests of the first view: the module's download never finishes (what a reader on a slow
      // line sees meanwhile). The connection is closed with the server.
      if (holdWasm && path.endsWith('.wasm')) return;
      if (path === '' || path.endsWith('/')) path += 'index.html';
      const file = normalize(join(base, path));
      if (!file.startsWith(base)) {
        res.writeHead(403);
        res.end();
        return;
      }
      const info = await stat(file).catch(() => null);
      if (!info || !info.isFile()) {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
        return;
      }
      // Revalidated on every use (no-cache) against an ETag, as static hosts do: a second visit
      // gets 304s and keeps its cached module (and the browser's compiled code for it).
      const etag = `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
      const headers = {
        'content-type': TYPES[extname(file)] || 'application/octet-stream',
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
        etag,
      };
      if (csp) headers['content-security-policy'] = CSP;
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, headers);
        res.end();
        return;
      }
      res.writeHead(200, headers);
      res.end(await readFile(file));
    } catch (err) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(err));
    }
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => ok(server));
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : dflt;
  };
  const port = Number(opt('--port', process.env.PORT || 8080));
  const prefix = opt('--prefix', '/');
  const server = await startServer({ port, root: opt('--root', 'dist'), csp: args.includes('--csp'), prefix });
  console.log(`llm-memviz: http://127.0.0.1:${server.address().port}${prefix} (Ctrl-C to stop)`);
}
