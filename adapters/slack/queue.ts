/**
 * Work scheduling for the Slack adapter.
 *
 * - `run()`: answering (CPU-bound retrieval) runs a few at a time; the next task starts on a
 *   fresh turn of the event loop, so incoming requests are read and acknowledged between two
 *   answers and a burst of events never pushes an acknowledgement past Slack's 3 seconds.
 * - `track()`: everything a listener does after the acknowledgement (posting, reactions,
 *   alerts) is counted, so `drain()` at shutdown waits for replies already on their way.
 */
export class WorkQueue {
  private running = 0;
  private tracked = 0;
  private readonly waiting: Array<() => void> = [];
  private idle: Array<() => void> = [];

  constructor(private readonly concurrency: number) {}

  /** Tasks running or waiting, plus tracked work in flight. */
  get size(): number {
    return this.running + this.waiting.length + this.tracked;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running < this.concurrency) {
      this.running++;
      await new Promise<void>((resolve) => setImmediate(resolve));
    } else {
      // The finishing task hands its slot over (running stays counted).
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) setImmediate(next);
      else this.running--;
      this.settle();
    }
  }

  /** Counts `work` as in flight until it settles. */
  async track<T>(work: Promise<T>): Promise<T> {
    this.tracked++;
    try {
      return await work;
    } finally {
      this.tracked--;
      this.settle();
    }
  }

  /** Resolves when nothing is running, waiting or tracked. */
  drain(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private settle(): void {
    if (this.size === 0) for (const done of this.idle.splice(0)) done();
  }
}
