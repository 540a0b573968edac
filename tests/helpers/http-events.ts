// Rows for the HTTP request event tests that are about what happens to rows (rollups,
// percentiles, retention, a replaced table), not about how a request becomes one: a plain
// GET on one route, written by one worker with the placeholder namespace and target.
import type { WorkerCounters } from '../../lib/data/http-events';
import { toEventRow, type HttpEventRow } from '../../lib/http-events/event-row';

export function plainEventRow({
  time,
  elapsedUs = 100,
  status = 200,
  route = '/',
  workerId = 'w',
}: {
  time: number;
  elapsedUs?: number;
  status?: number;
  route?: string;
  workerId?: string;
}): HttpEventRow {
  return toEventRow(
    {
      time,
      elapsedUs,
      method: 'GET',
      url: route,
      httpVersion: '1.1',
      status,
      userAgent: undefined,
      clientAddress: undefined,
    },
    {
      namespace: 'n',
      version: null,
      target: 't',
      workerId,
      storeClientIp: true,
      storeQueryValues: false,
      ipKey: '',
      matchRoute: () => route,
    },
  );
}

/** The counters writeEvents keeps for the worker of plainEventRow's rows. */
export function workerCounters(workerId: string, startedAt: number, written: number): WorkerCounters {
  return { workerId, target: 't', namespace: 'n', version: null, startedAt, written, dropped: 0 };
}
