// What one captured request becomes in flowforge_http_events: pure rules for
// redaction (query values, client address) and truncation. Runs in the writer,
// off the request path; the hook only copies a few fields (CapturedRequest).
import { createHmac, randomUUID } from 'node:crypto';
import { isIP } from 'node:net';

/** Copied from the request and response when the response has finished (lib/http-events/recorder.ts). */
export interface CapturedRequest {
  /** Start of the request, ms since 1970. */
  time: number;
  /** Until the response finished (or the client went away), in microseconds. */
  elapsedUs: number;
  method: string;
  url: string;
  httpVersion: string;
  status: number;
  userAgent: string | undefined;
  /** The TCP peer, or the address a trusted proxy appended (server.trustProxy). */
  clientAddress: string | undefined;
}

export interface HttpEventRow {
  requestUuid: string;
  namespace: string;
  version: string | null;
  target: string;
  workerRoute: string;
  workerId: string;
  ipAddr: string | null;
  method: string;
  path: string;
  queryParams: string | null;
  httpVersion: string;
  status: number;
  userAgent: string | null;
  elapsed: number;
  time: Date;
}

export interface RowContext {
  namespace: string;
  version: string | null;
  target: string;
  workerId: string;
  storeClientIp: boolean;
  storeQueryValues: boolean;
  /** Key of the client address hash (kept in the platform's settings). */
  ipKey: string;
  matchRoute: (pathname: string) => string;
}

export const USER_AGENT_MAX = 256;
export const PATH_MAX = 2048;
export const QUERY_MAX = 2048;

export function toEventRow(captured: CapturedRequest, context: RowContext): HttpEventRow {
  const queryStart = captured.url.indexOf('?');
  const pathname = queryStart === -1 ? captured.url : captured.url.slice(0, queryStart);
  const search = queryStart === -1 ? '' : captured.url.slice(queryStart + 1);
  const address = normaliseAddress(captured.clientAddress);
  return {
    requestUuid: randomUUID(),
    namespace: context.namespace,
    version: context.version,
    target: context.target,
    workerRoute: context.matchRoute(pathname),
    workerId: context.workerId,
    ipAddr: address === null ? null : context.storeClientIp ? address : cachedHash(address, context.ipKey),
    method: captured.method.slice(0, 16).toUpperCase(),
    path: truncate(pathname, PATH_MAX),
    queryParams: redactQuery(search, context.storeQueryValues),
    httpVersion: captured.httpVersion.slice(0, 8),
    status: captured.status,
    userAgent: captured.userAgent ? truncate(captured.userAgent, USER_AGENT_MAX) : null,
    elapsed: Math.max(1, Math.round(captured.elapsedUs)),
    time: new Date(captured.time),
  };
}

/**
 * The query string as stored: with values, or only the parameter names in order
 * (`page=2&token=abc` -> `page&token`), so tokens and personal data in URLs stay out.
 */
export function redactQuery(search: string, keepValues: boolean): string | null {
  if (search === '') return null;
  if (keepValues) return truncate(search, QUERY_MAX);
  const names = search
    .split('&')
    .filter(Boolean)
    .map((pair) => pair.split('=')[0]);
  return names.length ? truncate(names.join('&'), QUERY_MAX) : null;
}

/** A valid IPv4 or IPv6 address (IPv4-mapped IPv6 unwrapped), or null. */
export function normaliseAddress(address: string | undefined): string | null {
  if (!address) return null;
  const plain = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  return isIP(plain) ? plain : null;
}

/**
 * HMAC-SHA256 of the address under a secret key, written as an IPv6 address in
 * 2001:db8::/32 (reserved for documentation: no client has one), so the column
 * keeps one type (INET on PostgreSQL) whether addresses are stored or hashed,
 * equal clients still group together, and a hashed value is never mistaken for a
 * real address.
 */
export function hashClientAddress(address: string, key: string): string {
  const digest = createHmac('sha256', key).update(address).digest();
  const groups = ['2001', 'db8'];
  for (let i = 0; i < 12; i += 2) groups.push(digest.readUInt16BE(i).toString(16));
  return groups.join(':');
}

// Clients come back: an HMAC per request was a third of the writer's time per row.
const hashes = new Map<string, string>();
function cachedHash(address: string, key: string): string {
  const cacheKey = `${key}\u0000${address}`;
  let hash = hashes.get(cacheKey);
  if (hash === undefined) {
    if (hashes.size >= 10_000) hashes.clear();
    hash = hashClientAddress(address, key);
    hashes.set(cacheKey, hash);
  }
  return hash;
}

function truncate(text: string, max: number): string {
  return text.length > max ? text.slice(0, max) : text;
}
