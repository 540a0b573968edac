// JSON answers of the API routes (the collector, admin downloads, session
// checks), so every refusal has one shape: {error: code, message, issues?}.
// `code` is a stable snake_case word a client may branch on; `message` is a
// sentence written for a person. Nothing here accepts an error object: a
// database or driver error can carry SQL, file paths or a URL with a password,
// so serverError() logs its cause and answers a fixed sentence instead.
import { errorLine } from './error-line';

/** One problem in a request body, e.g. {path: "os.arch", message: "must be a string"}. */
export interface ErrorIssue {
  path: string;
  message: string;
}

export interface ErrorBody {
  error: string;
  message: string;
  issues?: ErrorIssue[];
}

export function json(data: unknown, status = 200, headers?: HeadersInit): Response {
  return Response.json(data, { status, headers });
}

export function errorResponse(
  status: number,
  code: string,
  message: string,
  extra: { issues?: ErrorIssue[]; headers?: HeadersInit } = {},
): Response {
  const body: ErrorBody = { error: code, message, ...(extra.issues ? { issues: extra.issues } : {}) };
  return json(body, status, extra.headers);
}

export const unauthorized = (message = 'Sign in first') => errorResponse(401, 'unauthorized', message);

export const forbidden = (message = 'Admins only') => errorResponse(403, 'forbidden', message);

export const notFound = (message: string) => errorResponse(404, 'not_found', message);

/** 429 with Retry-After in whole seconds (at least 1). */
export function tooManyRequests(message: string, retryAfterSeconds: number): Response {
  return errorResponse(429, 'rate_limited', message, {
    headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
  });
}

/**
 * 500: logs `[flowforge] <context>: <cause>` on the server and answers `message`
 * (a sentence for the client). The cause itself never reaches the client.
 */
export function serverError(
  context: string,
  cause: unknown,
  message = 'Something went wrong; try again later',
): Response {
  console.error(`[flowforge] ${context}: ${errorLine(cause)}`);
  return errorResponse(500, 'internal_error', message);
}
