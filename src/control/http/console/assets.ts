/**
 * The supervisor console's static files (index.html, console.js, console.css beside this module in src/),
 * read once when the HTTP API is registered: the routes serve these buffers, never a path taken from a request.
 * From dist/ (the tsc build copies no assets) the files are found in the package's src/ tree.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface ConsoleAsset {
  /** The URL path it is served at. */
  urlPath: string;
  contentType: string;
  body: Buffer;
}

const FILES: ReadonlyArray<{ file: string; urlPath: string; contentType: string }> = [
  { file: 'index.html', urlPath: '/console', contentType: 'text/html; charset=utf-8' },
  { file: 'console.js', urlPath: '/console/console.js', contentType: 'text/javascript; charset=utf-8' },
  { file: 'console.css', urlPath: '/console/console.css', contentType: 'text/css; charset=utf-8' },
];

/**
 * The directory holding the console files: this module's own (run from src/), else the nearest
 * `src/control/http/console` of an ancestor (a dist/ or any --outDir build inside the package), else the working
 * directory's; null when none has them.
 */
export function consoleDir(from = __dirname): string | null {
  if (fs.existsSync(path.join(from, 'index.html'))) return from;
  const rel = path.join('src', 'control', 'http', 'console');
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, rel, 'index.html'))) return path.join(dir, rel);
    if (path.dirname(dir) === dir) break; // the filesystem root
  }
  const cwd = path.resolve(rel);
  return fs.existsSync(path.join(cwd, 'index.html')) ? cwd : null;
}

let cached: ConsoleAsset[] | null | undefined;

/** The three console files (read on first use, then kept); null when they are not installed. */
export function consoleAssets(): ConsoleAsset[] | null {
  if (cached !== undefined) return cached;
  const dir = consoleDir();
  try {
    cached = dir === null ? null : FILES.map((f) => ({ urlPath: f.urlPath, contentType: f.contentType, body: fs.readFileSync(path.join(dir, f.file)) }));
  } catch {
    cached = null;
  }
  return cached;
}

/** The URL paths of the console files (registered whether or not the files are installed). */
export const CONSOLE_PATHS: readonly string[] = FILES.map((f) => f.urlPath);

/**
 * Response headers of every console file. `default-src 'self'` without 'unsafe-inline': no inline script or
 * style and nothing from another origin runs, so a peer-controlled string that ever reached the DOM as HTML
 * still could not execute; no framing (clickjacking), no form posts, no referrer (the URL may carry #token).
 */
export const CONSOLE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cache-control': 'no-cache',
};
