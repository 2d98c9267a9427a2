/**
 * A small work queue with a concurrency limit. Slack gets its acknowledgement first; answering
 * (CPU-bound retrieval) then runs here, a few at a time, so a burst of events never delays the
 * acknowledgements behind a pile of answers. `drain()` waits for the work in flight (shutdown).
 */
export class WorkQueue {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private idle: Array<() => void> = [];

  constructor(private readonly concurrency: number) {}

  get size(): number {
    return this.running + this.waiting.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await task();
    } finally {
      this.running--;
      const next = this.waiting.shift();
      if (next) next();
      else if (this.running === 0) for (const done of this.idle.splice(0)) done();
    }
  }

  /** Resolves when nothing is running or waiting. */
  drain(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }
}
