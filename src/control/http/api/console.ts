/**
 * The supervisor console (src/control/http/console/): GET /console, /console/console.js, /console/console.css.
 * The files hold no data and no secret, so they are served without the bearer token (a browser navigating to
 * /console cannot send one); the page then sends the token (from the URL fragment, `/console#token=...`, which
 * browsers never send to the server, or typed in) as `Authorization: Bearer` on every API call, and the API
 * enforces it as for any client. Each response carries CONSOLE_HEADERS (Content-Security-Policy
 * `default-src 'self'`, no framing, no referrer).
 */
import { consoleAssets, CONSOLE_HEADERS, CONSOLE_PATHS } from '../console/assets';
import { Reply, type HttpServer } from '../HttpServer';

/**
 * Without the console files (a build that left src/ behind) the daemon still starts: the routes answer
 * 404 "Console not installed".
 */
export function registerConsoleRoutes(http: HttpServer): void {
  const assets = consoleAssets();
  for (const urlPath of CONSOLE_PATHS) {
    const asset = assets?.find((a) => a.urlPath === urlPath);
    http.route(
      'GET',
      urlPath,
      ({ res }) => {
        if (!asset) return new Reply(404, { error: 'Console not installed' });
        res.writeHead(200, { ...CONSOLE_HEADERS, 'content-type': asset.contentType, 'content-length': asset.body.length });
        res.end(asset.body);
        return undefined;
      },
      false,
    );
  }
}
