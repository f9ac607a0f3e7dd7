/**
 * GET /v1/events[?callId=] -> Server-Sent Events stream of the supervision EventBus:
 *   event: <type>\nid: <n>\ndata: <json>\n\n
 * with a `: keep-alive` comment every 15 s. The subscription ends when the client goes away; a client
 * that stops reading (over 1 MiB unsent) is disconnected rather than buffered without bound.
 * There is no replay: Last-Event-ID is ignored (the audit log is the durable record).
 */
import type { HttpServer } from '../HttpServer';
import type { ApiDeps } from './deps';

const MAX_UNSENT_BYTES = 1024 * 1024;

export function registerEventRoutes(http: HttpServer, d: ApiDeps): void {
  const keepAliveMs = d.sseKeepAliveMs ?? 15_000;
  http.route('GET', '/v1/events', ({ req, res, query }) => {
    const callId = query.get('callId') || undefined;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(': whisperd events\n\n');
    let done = false;
    const stop = (): void => {
      if (done) return;
      done = true;
      unsubscribe();
      clearInterval(timer);
      if (!res.writableEnded) res.end();
    };
    const send = (text: string): void => {
      if (done) return;
      res.write(text);
      if (res.writableLength > MAX_UNSENT_BYTES) stop();
    };
    const unsubscribe = d.events.subscribe((e) => {
      if (callId !== undefined && e.callId !== callId) return;
      send(`event: ${e.type}\nid: ${e.id}\ndata: ${JSON.stringify(e)}\n\n`);
    });
    const timer = setInterval(() => send(': keep-alive\n\n'), keepAliveMs);
    timer.unref();
    req.on('close', stop);
    res.on('close', stop);
    return undefined;
  });
}
