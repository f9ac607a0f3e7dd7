/**
 * A small typed event emitter for signalling-time events between services (a call closed, a mixer
 * created, a DTMF key pressed) — never used on the packet path. Services publish; whoever cares
 * subscribes (`on` returns the unsubscribe function). Listeners run synchronously in subscription
 * order; one that throws is reported to `listenerError` and stops neither the others nor the publisher.
 */
export type EventMap = Record<string, unknown[]>;

export class TypedEmitter<E extends EventMap> {
  private readonly handlers: { [K in keyof E]?: Array<(...args: E[K]) => void> } = {};

  on<K extends keyof E>(event: K, fn: (...args: E[K]) => void): () => void {
    (this.handlers[event] ??= []).push(fn);
    return () => this.off(event, fn);
  }

  off<K extends keyof E>(event: K, fn: (...args: E[K]) => void): void {
    const list = this.handlers[event];
    if (!list) return;
    const i = list.indexOf(fn);
    if (i >= 0) list.splice(i, 1);
  }

  listenerCount(event: keyof E): number {
    return this.handlers[event]?.length ?? 0;
  }

  protected emit<K extends keyof E>(event: K, ...args: E[K]): void {
    const list = this.handlers[event];
    if (!list || list.length === 0) return;
    for (const fn of [...list]) {
      try {
        fn(...args);
      } catch (err) {
        this.listenerError(err, String(event));
      }
    }
  }

  /** Told about a listener that threw (override to log). */
  protected listenerError(_err: unknown, _event: string): void {}
}
