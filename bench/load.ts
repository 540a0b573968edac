// Load on a server: requests over keep-alive connections, read to the end and counted.
import http from 'node:http';

export interface LoadRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  /** Answers by status code. */
  statuses: Map<number, number>;
  errors: number;
  latenciesMs: number[];
  seconds: number;
}

/**
 * Sends `amount` requests over `connections` keep-alive connections, each built by
 * `request(i)`, and reads every answer to the end. A plain load generator in this process:
 * enough for memory and error counts; throughput figures use ratios measured alike.
 */
export async function sendLoad(
  baseUrl: string,
  { amount, connections = 8, request }: { amount: number; connections?: number; request: (i: number) => LoadRequest },
): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const target = new URL(baseUrl);
  const result: LoadResult = { statuses: new Map(), errors: 0, latenciesMs: [], seconds: 0 };
  let next = 0;
  const one = (spec: LoadRequest) =>
    new Promise<void>((resolve) => {
      const started = performance.now();
      const req = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          method: spec.method ?? 'GET',
          path: spec.path,
          headers: { ...spec.headers, ...(spec.body ? { 'content-length': Buffer.byteLength(spec.body) } : {}) },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            result.latenciesMs.push(performance.now() - started);
            result.statuses.set(res.statusCode!, (result.statuses.get(res.statusCode!) ?? 0) + 1);
            resolve();
          });
          res.on('error', () => (result.errors++, resolve()));
        },
      );
      req.on('error', () => (result.errors++, resolve()));
      req.end(spec.body);
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < amount) await one(request(next++));
    }),
  );
  result.seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return result;
}

/** Stops the run when a load got a transport error or an answer other than the expected ones. */
export function expectStatuses(result: LoadResult, expected: number[], what: string): void {
  const wrong = [...result.statuses].filter(([status]) => !expected.includes(status));
  if (result.errors > 0 || wrong.length > 0)
    throw new Error(`${what}: ${result.errors} errors, unexpected answers ${JSON.stringify(wrong)}`);
}
