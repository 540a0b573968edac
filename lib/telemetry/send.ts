// How a ping travels: one HTTP POST of the JSON body with a hard timeout, at
// most one retry after a delay (only for failures a retry can fix), and one
// warn-level log line per failed ping with the error kind. It never throws:
// callers get an outcome to record, so a dead collector can never crash the
// platform or slow a request down.
import { httpPost, originOf } from '../http-post';

export type SendErrorKind =
  'timeout' | 'refused' | 'reset' | 'dns' | 'tls' | 'http' | 'network' | 'invalid-payload' | 'internal';

export interface SendOutcome {
  ok: boolean;
  /** HTTP status of the last attempt, when one answered. */
  status: number | null;
  error: SendErrorKind | null;
  durationMs: number;
  attempts: number;
}

export interface SendOptions {
  url: string;
  timeoutMs: number;
  /** Delay before the one retry; false: no retry (e.g. "Send now", where the admin sees the result). */
  retryDelayMs?: number | false;
  /** Label for the log line, e.g. "daily". */
  label?: string;
  warn?: (message: string) => void;
}

export const DEFAULT_RETRY_DELAY_MS = 5_000;

/**
 * Kinds worth one more try: the collector restarting or briefly overloaded. A timeout is not retried (that would
 * hold a socket twice as long).
 */
function retryable(outcome: SendOutcome): boolean {
  if (outcome.error === 'refused' || outcome.error === 'reset') return true;
  return outcome.error === 'http' && outcome.status !== null && (outcome.status >= 500 || outcome.status === 429);
}

export function classifyFetchError(error: unknown): SendErrorKind {
  const err = error as { name?: string; code?: string; cause?: { code?: string; name?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return 'timeout';
  const code = err?.cause?.code ?? err?.code ?? '';
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED')
    return 'reset';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'dns';
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT' || code === 'UND_ERR_HEADERS_TIMEOUT')
    return 'timeout';
  if (/CERT|SSL|TLS/i.test(code)) return 'tls';
  return 'network';
}

async function attempt(
  body: string,
  url: string,
  timeoutMs: number,
): Promise<Omit<SendOutcome, 'durationMs' | 'attempts'>> {
  try {
    const response = await httpPost(url, {
      headers: { 'content-type': 'application/json', 'user-agent': 'flowforge-telemetry' },
      body,
      timeoutMs,
    });
    return response.ok
      ? { ok: true, status: response.status, error: null }
      : { ok: false, status: response.status, error: 'http' };
  } catch (error) {
    return { ok: false, status: null, error: classifyFetchError(error) };
  }
}

export function describeFailure(outcome: Pick<SendOutcome, 'error' | 'status'>): string {
  if (outcome.error === 'http') return `HTTP ${outcome.status}`;
  return outcome.error ?? 'unknown error';
}

const FAILURE_WORDS: Record<Exclude<SendErrorKind, 'http'>, string> = {
  timeout: 'no answer in time',
  refused: 'the collector refused the connection',
  reset: 'the connection was reset',
  dns: "the collector's host name could not be resolved",
  tls: 'the secure (TLS) connection failed',
  network: 'a network error',
  'invalid-payload': 'the payload failed its own check and was not sent',
  internal: 'an internal error (see the server log)',
};

/** For admins (Send now, the history table): the failure in words, with the short kind of the log line in brackets. */
export function explainFailure(outcome: { error: string | null; status: number | null }): string {
  if (outcome.error === 'http' || (outcome.error === null && outcome.status !== null)) return `HTTP ${outcome.status}`;
  if (outcome.error === null) return 'unknown error';
  const words = FAILURE_WORDS[outcome.error as keyof typeof FAILURE_WORDS];
  return words ? `${words} (${outcome.error})` : outcome.error;
}

/** POSTs `body` (already validated and serialised) to the collector. Never throws. */
export async function postTelemetry(body: string, options: SendOptions): Promise<SendOutcome> {
  const started = performance.now();
  const retryDelayMs = options.retryDelayMs === undefined ? DEFAULT_RETRY_DELAY_MS : options.retryDelayMs;
  let outcome: SendOutcome = { ...(await attempt(body, options.url, options.timeoutMs)), durationMs: 0, attempts: 1 };
  if (!outcome.ok && retryDelayMs !== false && retryable(outcome)) {
    await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
    outcome = { ...(await attempt(body, options.url, options.timeoutMs)), durationMs: 0, attempts: 2 };
  }
  outcome.durationMs = Math.round(performance.now() - started);
  if (!outcome.ok) {
    const warn = options.warn ?? console.warn;
    const origin = originOf(options.url, '(invalid url)');
    warn(
      `[flowforge] telemetry${options.label ? ` ${options.label}` : ''} ping to ${origin} failed: ` +
        describeFailure(outcome) +
        (outcome.error === 'timeout' ? ` (no answer within ${options.timeoutMs} ms)` : '') +
        ` after ${outcome.attempts} attempt(s); it is not retried further`,
    );
  }
  return outcome;
}
