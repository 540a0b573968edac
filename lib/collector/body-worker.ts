// The worker thread that checks large collector bodies and, on SQLite, stores them
// (body-check-worker.ts starts it and speaks to it). Its heap is small and its own:
// the garbage of parsing a 1 MB batch (the JSON tree, the schema's copies, the
// serialised properties) is collected here, often, instead of growing the server's
// heap by hundreds of MB under a few clients posting large bodies; and the CPU it
// takes, the SQLite statements included, is on another core.
// Messages, each answered with {id, reply} or {id, failure}:
//   check      the body's check, events and all (PostgreSQL: the request thread stores them)
//   hold       the body's check, but the events stay here, held under the message's key (held),
//              and the reply says only how many (the request thread checks the sender's
//              event limit with that count, then sends one of:)
//   store      write the held events to the SQLite file, one transaction -> the number stored
//   drop       forget the held events
//   memory     this thread's external memory, buffers included (tests: bodies must not pile up)
import { lowerThisThreadPriority } from './background-priority';
import { freeBuffer } from './free-buffer';
import type { CheckedEvent } from './posthog-check';
import { checkPosthogBody } from './posthog-check';
import type { EventSender } from './event-writes';
import { storeEventsOnSqlite } from './worker-event-store';
import { serveMessages } from '../worker-rpc';

export type WorkerMessage =
  | { id: number; op: 'check'; body: Uint8Array }
  | { id: number; op: 'hold'; held: number; body: Uint8Array }
  | { id: number; op: 'store'; held: number; file: string; sender: EventSender }
  | { id: number; op: 'drop'; held: number }
  | { id: number; op: 'memory' };

const held = new Map<number, CheckedEvent[]>();

// Bulk ingest gives way to the request thread (sign-in pages, small pings) when the cores are busy.
lowerThisThreadPriority();

/**
 * The body's check; its bytes are freed as soon as it is done (they are parsed by then). Left to
 * this thread's collector, refused bodies piled up: its small heap hardly grows while checking
 * zeros, so it seldom collects (38 MB of them after 40 refused 1 MB bodies, tested).
 */
async function checked(body: Uint8Array) {
  try {
    return await checkPosthogBody(body);
  } finally {
    freeBuffer(body);
  }
}

async function answer(message: WorkerMessage): Promise<unknown> {
  switch (message.op) {
    case 'check':
      return checked(message.body);
    case 'hold': {
      const result = await checked(message.body);
      if (!result.ok) return result;
      held.set(message.held, result.events);
      return { ok: true, count: result.events.length };
    }
    case 'store': {
      const events = held.get(message.held);
      held.delete(message.held);
      if (!events) throw new Error('no events held under that id (the worker was restarted)');
      return storeEventsOnSqlite(message.file, { events, sender: message.sender });
    }
    case 'drop':
      held.delete(message.held);
      return null;
    case 'memory':
      return process.memoryUsage().external;
  }
}

// One message at a time: a store never interleaves with another on the one connection.
serveMessages(answer);
