// Frees an ArrayBuffer's memory now instead of at the next garbage collection of its thread.
// Node 20 has no ArrayBuffer.prototype.transfer: moving the buffer into a message that is never
// delivered detaches it, and its memory goes with the closed channel. Only for a buffer nothing
// else holds (the body worker's moved-in bodies): every view of it is emptied.
import { MessageChannel } from 'node:worker_threads';

/** Frees `view`'s memory when the view is all of its buffer (a slice of a larger one is left alone). */
export function freeBuffer(view: Uint8Array): void {
  const buffer = view.buffer;
  if (!(buffer instanceof ArrayBuffer) || view.byteOffset !== 0 || view.byteLength !== buffer.byteLength) return;
  const { port1, port2 } = new MessageChannel();
  port1.postMessage(null, [buffer]);
  port1.close();
  port2.close();
}
