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

/** The directory holding the console files: this module's own (run from src/), else <package>/src/control/http/console. */
export function consoleDir(): string {
  if (fs.existsSync(path.join(__dirname, 'index.html'))) return __dirname;
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    const candidate = path.join(dir, 'src', 'control', 'http', 'console');
    if (fs.existsSync(path.join(candidate, 'index.html'))) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error(`supervisor console files not found (looked beside ${__dirname} and in its ancestors' src/control/http/console)`);
}

let cached: ConsoleAsset[] | null = null;

/** The three console files (read on first use, then kept). */
export function consoleAssets(): ConsoleAsset[] {
  if (cached) return cached;
  const dir = consoleDir();
  cached = FILES.map((f) => ({ urlPath: f.urlPath, contentType: f.contentType, body: fs.readFileSync(path.join(dir, f.file)) }));
  return cached;
}

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
