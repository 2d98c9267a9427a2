/** What a started adapter gives back to `src/main.ts`: a name for logs and a graceful stop. */
export interface Runner {
  name: string;
  /** Stop taking new events, finish the ones in flight, release connections. */
  stop(): Promise<void>;
}
