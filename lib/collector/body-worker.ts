// The worker thread that checks large collector bodies (body-check-worker.ts
// starts it). Its heap is small and its own: the garbage of parsing a 1 MB batch
// (the JSON tree, the schema's copies, the serialised properties) is collected
// here, often, instead of growing the server's heap by hundreds of MB under a
// few clients posting large bodies; and the CPU it takes is on another core.
import { parentPort } from 'node:worker_threads';
import { checkPosthogBody } from './posthog-check';

parentPort!.on('message', async ({ id, body }: { id: number; body: Uint8Array }) => {
  try {
    parentPort!.postMessage({ id, result: await checkPosthogBody(body) });
  } catch (error) {
    parentPort!.postMessage({ id, failure: error instanceof Error ? error.name : 'Error' });
  }
});
