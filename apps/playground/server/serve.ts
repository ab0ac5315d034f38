// `pnpm web`: builds the playground (build.ts) and serves apps/playground/dist with node:http on
// 127.0.0.1 (--host to change it), port 5173 (--port N; 0 picks a free one), printing the URL.
// Only local files are served; the page fetches nothing from anywhere else.

import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildPlayground, DIST_DIR, type BuildReport } from './build.js';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.bin': 'application/octet-stream',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export interface Playground {
  readonly url: string;
  readonly build: BuildReport;
  readonly server: Server;
  close(): Promise<void>;
}

export async function startPlayground(opts: { readonly host?: string; readonly port?: number; readonly minify?: boolean } = {}): Promise<Playground> {
  const host = opts.host ?? '127.0.0.1';
  const report = await buildPlayground(opts.minify !== undefined ? { minify: opts.minify } : {});
  const server = createServer((req, res) => {
    let path = req.url ?? '/';
    let ok = req.method === 'GET' || req.method === 'HEAD';
    let file = '';
    try {
      path = decodeURIComponent(new URL(path, 'http://x').pathname);
      file = normalize(join(DIST_DIR, path === '/' ? 'index.html' : path));
      ok &&= file.startsWith(DIST_DIR + sep) && statSync(file).isFile();
    } catch {
      ok = false;
    }
    if (!ok) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`not found: ${path}\n`);
      return;
    }
    // Cross-origin isolated (everything is same-origin anyway): performance.now() then has µs
    // resolution instead of 100 µs, which the per-kernel wall times need.
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 5173, host, () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : opts.port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}/`,
    build: report,
    server,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

function flag(args: readonly string[], name: string): string | undefined {
  const i = args.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (i < 0) return undefined;
  const a = args[i]!;
  return a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[i + 1];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log('usage: pnpm web [--port N (default 5173, 0 = any free port)] [--host ADDR (default 127.0.0.1)] [--minify]');
    process.exit(0);
  }
  const portText = flag(args, '--port');
  const port = portText === undefined ? 5173 : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`pnpm web: --port must be an integer in 0..65535, got ${portText}`);
    process.exit(2);
  }
  const host = flag(args, '--host') ?? '127.0.0.1';
  try {
    const p = await startPlayground({ host, port, minify: args.includes('--minify') });
    const b = p.build;
    console.log(
      `built ${b.dir} in ${b.ms.toFixed(0)} ms: app.js ${(b.bundleBytes / 1024).toFixed(0)} KB (${(b.bundleGzipBytes / 1024).toFixed(0)} KB gzipped), graphviz.js ${(b.graphvizBytes / 1024).toFixed(0)} KB (${(b.graphvizGzipBytes / 1024).toFixed(0)} KB gzipped, loaded when the first IR picture is drawn), MNIST subset ${(b.dataBytes / 1024).toFixed(0)} KB`,
    );
    console.log(`Kiln playground: ${p.url}`);
    console.log('(needs a browser with WebGPU: Chrome/Edge 113+, or chromium --enable-unsafe-webgpu; Ctrl-C stops)');
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'EADDRINUSE' ? `port ${port} on ${host} is in use (try --port 0 or another port)` : e instanceof Error ? e.message : String(e);
    console.error(`pnpm web: ${why}`);
    process.exit(1);
  }
}
