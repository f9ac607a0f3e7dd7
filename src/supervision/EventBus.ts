/**
 * The live event stream of supervision (started, stopped, mode, mute, prompt, denied, bleed,
 * failsafe): an in-process publisher that the HTTP API's Server-Sent Events endpoint subscribes to.
 * A subscriber that throws is dropped, never allowed to break the publisher.
 */
export interface SupervisionEvent {
  type: 'started' | 'stopped' | 'mode' | 'mute' | 'prompt' | 'denied' | 'bleed' | 'failsafe' | 'recording';
  callId: string;
  [key: string]: unknown;
}

export type EventListener = (e: SupervisionEvent & { time: string; id: number }) => void;

export class EventBus {
  private readonly listeners = new Set<EventListener>();
  private nextId = 1;
  /** Events published, by type (for /metrics). */
  readonly counts = new Map<string, number>();

  subscribe(fn: EventListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  publish(e: SupervisionEvent): void {
    const full = { ...e, time: new Date().toISOString(), id: this.nextId++ };
    this.counts.set(e.type, (this.counts.get(e.type) ?? 0) + 1);
    for (const fn of [...this.listeners]) {
      try {
        fn(full);
      } catch {
        this.listeners.delete(fn);
      }
    }
  }
}
