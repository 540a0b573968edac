// Request and reply between the server's thread and a worker thread of its own: each
// message gets an id, the worker answers {id, reply} or {id, failure}, and the caller's
// promise settles with it. Used by the collector's body worker (large capture bodies) and
// its ping writer (SQLite commits off the request thread).
// The worker starts on first use and again after it exits; a call that gets no answer in
// time ends the worker (the next call starts a fresh one). The worker never keeps the process
// alive by itself; a waiting call does, through its timeout's timer (the shutdown path awaits
// pings being committed in a worker).
// Free of server-only imports: the worker side (serveMessages) is imported by worker threads.
import { parentPort, Worker, type WorkerOptions } from 'node:worker_threads';

interface Pending {
  resolve(reply: unknown): void;
  reject(error: Error): void;
}

/** A worker's answer: the reply, or the failure's message and its code (a database error's, say). */
interface Answer {
  id: number;
  reply?: unknown;
  failure?: string;
  code?: string;
}

export interface WorkerClient<Message> {
  /** Sends `message` (its id is set here) and resolves with the worker's reply. */
  call<T>(message: Message, timeoutMs: number, transfer?: ArrayBuffer[]): Promise<T>;
  /** The worker now serving calls, started if there is none (a caller can tell a restart by it). */
  current(): Worker;
  /** Ends the worker (tests; the process's exit ends it anyway). */
  stop(): Promise<void>;
}

export interface ClientOptions {
  /** What the waiting calls resolve with when the worker fails with `error`; undefined rejects them. */
  replyOnError?: (error: Error) => unknown;
}

export function workerClient<Message extends object>(
  name: string,
  start: () => Worker,
  { replyOnError }: ClientOptions = {},
): WorkerClient<Message> {
  let worker: Worker | null = null;
  const pending = new Map<number, Pending>();
  let nextId = 1;

  function started(): Worker {
    const fresh = start();
    fresh.on('message', ({ id, reply, failure, code }: Answer) => {
      const request = pending.get(id);
      if (!request) return;
      pending.delete(id);
      if (failure === undefined) request.resolve(reply);
      else
        request.reject(Object.assign(new Error(`the ${name} failed: ${failure}`), code === undefined ? {} : { code }));
    });
    const failAll = (outcome: (request: Pending) => void) => {
      if (worker === fresh) worker = null;
      const requests = [...pending.values()];
      pending.clear();
      for (const request of requests) outcome(request);
    };
    fresh.on('error', (error) => {
      const reply = replyOnError?.(error);
      failAll((request) => (reply === undefined ? request.reject(error) : request.resolve(reply)));
    });
    fresh.on('exit', (code) => failAll((request) => request.reject(new Error(`the ${name} exited (${code})`))));
    // After the listeners: a 'message' listener refs the worker again.
    fresh.unref();
    return fresh;
  }

  const current = () => (worker ??= started());

  return {
    current,
    call<T>(message: Message, timeoutMs: number, transfer: ArrayBuffer[] = []) {
      const target = current();
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`the ${name} took longer than ${timeoutMs} ms`));
          void target.terminate();
        }, timeoutMs);
        const settle =
          <V>(done: (value: V) => void) =>
          (value: V) => {
            clearTimeout(timer);
            done(value);
          };
        pending.set(id, { resolve: settle(resolve as (reply: unknown) => void), reject: settle(reject) });
        target.postMessage({ ...message, id }, transfer);
      });
    },
    async stop() {
      const ending = worker;
      worker = null;
      await ending?.terminate();
    },
  };
}

/**
 * Starts a worker from its TypeScript source, with tsx's loader registered in it first: for
 * tests and tools, which run the source. In the built server (NEXT_RUNTIME is set) a module
 * starts its worker with the literal `new Worker(new URL('./x.ts', import.meta.url))`, which
 * Next's bundler turns into a chunk of its own.
 */
export function sourceWorker(url: URL, options: WorkerOptions): Worker {
  const source = `import('tsx/esm/api').then(({ register }) => (register(), import(${JSON.stringify(url.href)})))`;
  return new Worker(source, { ...options, eval: true });
}

/**
 * The worker side: answers each message with `answer`'s result, by default one message at a
 * time (work on one connection never interleaves); with oneAtATime false as they come.
 */
export function serveMessages<Message extends { id: number }>(
  answer: (message: Message) => unknown,
  { oneAtATime = true } = {},
): void {
  const reply = async (message: Message) => {
    try {
      parentPort!.postMessage({ id: message.id, reply: await answer(message) } satisfies Answer);
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      parentPort!.postMessage({
        id: message.id,
        failure: error instanceof Error ? error.message : String(error),
        code: typeof code === 'string' ? code : undefined,
      } satisfies Answer);
    }
  };
  let queue: Promise<unknown> = Promise.resolve();
  parentPort!.on('message', (message: Message) => {
    if (oneAtATime) queue = queue.then(() => reply(message));
    else void reply(message);
  });
}
