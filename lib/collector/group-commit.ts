// Group commit: requests that arrive while a transaction is being written share
// the next one, and each caller's promise settles only after the transaction
// that holds its item has committed (so a 2xx still means "stored").
// No timer adds latency: an idle queue flushes on the next turn of the event
// loop, and under load the batch is whatever arrived during the previous commit.
// With `writers` > 1, up to that many transactions are in flight at once (the
// next batch is sent while the previous one waits for its commit to be flushed):
// for PostgreSQL, where the process would otherwise sit idle during each commit.
// If a shared transaction fails, its items are retried one by one, so one bad
// item fails only its own request.

export interface GroupCommit<T> {
  /** Resolves once `item` is committed; rejects with that item's own error. */
  submit(item: T): Promise<void>;
  /** Resolves once every item submitted so far has been written (or has failed): the stop path waits for it. */
  idle(): Promise<void>;
}

interface Waiting<T> {
  item: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export function createGroupCommit<T>(
  write: (items: T[]) => Promise<void>,
  { maxBatch = 200, writers = 1 }: { maxBatch?: number; writers?: number } = {},
): GroupCommit<T> {
  let queue: Waiting<T>[] = [];
  let active = 0; // writers running or about to start
  let settled: Array<() => void> = [];

  async function writeBatches() {
    try {
      while (queue.length > 0) {
        const batch = queue.slice(0, maxBatch);
        queue = queue.slice(batch.length);
        try {
          await write(batch.map((waiting) => waiting.item));
          for (const waiting of batch) waiting.resolve();
        } catch (error) {
          if (batch.length === 1) batch[0].reject(error);
          else
            for (const waiting of batch) {
              await write([waiting.item]).then(waiting.resolve, waiting.reject);
            }
        }
      }
    } finally {
      active--;
      if (active === 0) {
        for (const resolve of settled) resolve();
        settled = [];
      }
    }
  }

  return {
    submit(item) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        // setImmediate lets the requests already parsed in this turn join the batch.
        if (active < writers) {
          active++;
          setImmediate(() => void writeBatches());
        }
      });
    },
    idle: () => (active === 0 ? Promise.resolve() : new Promise<void>((resolve) => settled.push(resolve))),
  };
}
