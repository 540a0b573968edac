// One small HTTP client for what the platform sends out: the telemetry ping and
// the usage-event batches (posthog-node takes it as its `fetch`). Built on
// node:http/https, which the server has loaded anyway, instead of the global
// fetch: its first use loads undici and instantiates its WebAssembly parser,
// which costs a process about 40 MB of resident memory that stays (measured in
// docs/architecture.md, "Outgoing requests"). Telemetry must not cost an
// instance that much, and these are one small POST each, with no redirect to
// follow, no streaming and no cookies: what fetch adds is not needed here.
import http from 'node:http';
import https from 'node:https';

/** The answer to a POST, shaped like the part of a fetch Response that callers use. */
export interface HttpAnswer {
  status: number;
  ok: boolean;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
  json(): Promise<unknown>;
}

export interface HttpPostInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array | null;
  /** The whole exchange (connect, send, the answer's head and body) must end within this. */
  timeoutMs?: number;
  signal?: AbortSignal | null;
}

/** The origin of `url` for log lines (never its path or credentials); `fallback` when it does not parse. */
export function originOf(url: string, fallback: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return fallback;
  }
}

/** Keeps at most this much of an answer's body: collectors answer a few bytes. */
const MAX_ANSWER_BYTES = 64 * 1024;

function timeoutError(ms: number): Error {
  const error = new Error(`no answer within ${ms} ms`);
  error.name = 'TimeoutError';
  return error;
}

/**
 * POSTs `body` to `url` and resolves with the status and (at most 64 KB of) the body. Rejects with
 * Node's network errors (their `code`: ECONNREFUSED, ECONNRESET, ENOTFOUND, certificate errors), a
 * `TimeoutError` after `timeoutMs`, or the signal's reason when aborted. A redirect is an answer,
 * not followed: a collector that moved says so with its status.
 */
export function httpPost(url: string, init: HttpPostInit = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      reject(new TypeError(`unsupported protocol ${target.protocol}`));
      return;
    }
    const body = init.body == null ? null : typeof init.body === 'string' ? Buffer.from(init.body) : init.body;
    const headers: Record<string, string | number> = { ...init.headers };
    if (body) headers['content-length'] = body.byteLength;
    const request = (target.protocol === 'https:' ? https : http).request(target, {
      method: init.method ?? 'POST',
      headers,
    });

    // Two phases end by the same deadline: the answer's head (which settles the promise: a
    // status received means the collector took the request) and its body (read by text()).
    let answered = false;
    let bodyFailed: (error: Error) => void = () => {};
    const fail = (error: Error) => {
      clearTimeout(timer);
      init.signal?.removeEventListener('abort', onAbort);
      request.destroy();
      if (answered) bodyFailed(error);
      else reject(error);
    };
    const onAbort = () => fail(init.signal?.reason instanceof Error ? init.signal.reason : timeoutError(0));
    const timer = init.timeoutMs ? setTimeout(() => fail(timeoutError(init.timeoutMs!)), init.timeoutMs) : undefined;
    if (init.signal?.aborted) return onAbort();
    init.signal?.addEventListener('abort', onAbort, { once: true });

    request.on('error', fail);
    request.on('response', (response) => {
      answered = true;
      const text = new Promise<string>((resolveText, rejectText) => {
        bodyFailed = rejectText;
        const chunks: Buffer[] = [];
        let kept = 0;
        response.on('data', (chunk: Buffer) => {
          if (kept < MAX_ANSWER_BYTES) chunks.push(chunk.subarray(0, MAX_ANSWER_BYTES - kept));
          kept += chunk.length;
        });
        response.on('error', fail);
        response.on('aborted', () => fail(Object.assign(new Error('answer cut short'), { code: 'ECONNRESET' })));
        response.on('end', () => {
          clearTimeout(timer);
          init.signal?.removeEventListener('abort', onAbort);
          resolveText(Buffer.concat(chunks).toString('utf8'));
        });
      });
      text.catch(() => {}); // a caller that only wanted the status never reads a cut-short body
      const status = response.statusCode ?? 0;
      resolve({
        status,
        ok: status >= 200 && status < 300,
        headers: { get: (name) => [response.headers[name.toLowerCase()] ?? null].flat()[0] },
        text: () => text,
        json: async () => JSON.parse(await text),
      });
    });
    request.end(body ?? undefined);
  });
}
