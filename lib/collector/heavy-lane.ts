// Large collector bodies (over HEAVY_BODY_BYTES once read) are worked on one at
// a time, yielding to the event loop between steps, so that a few clients
// posting 1 MB batches cannot keep the one JavaScript thread busy for long
// stretches: every other request (a sign-in page, a small ping) waits at most
// for one step of one large body. Small bodies never wait here.

export const HEAVY_BODY_BYTES = 64 * 1024;
/** Large bodies waiting beyond this many are refused (429) rather than queued without end. */
const MAX_WAITING = 32;

let active = false;
const waiting: Array<() => void> = [];

export class LaneFullError extends Error {}

/** Runs `work` when no other large body is being worked on. */
export async function inHeavyLane<T>(work: () => Promise<T>): Promise<T> {
  if (active) {
    if (waiting.length >= MAX_WAITING) throw new LaneFullError('too many large bodies waiting');
    await new Promise<void>((resolve) => waiting.push(resolve));
  }
  active = true;
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else active = false;
  }
}

/** Lets queued I/O callbacks (other requests) run before the next step. */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
