// Reading a request body with a hard size cap: the stream is counted as it
// arrives (Content-Length is only a hint and may lie or be absent), and gzip
// is inflated with a cap on the output too, so a small "zip bomb" cannot
// blow up memory.
import { gunzipSync } from 'node:zlib';

export class BodyError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'BodyError';
  }
}

const tooLarge = (maxBytes: number) =>
  new BodyError(413, 'payload_too_large', `The body is larger than ${maxBytes} bytes`);

export async function readBodyCapped(request: Request, maxBytes: number): Promise<Buffer> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

const GZIP_MAGIC = [0x1f, 0x8b];

export function isGzip(body: Buffer): boolean {
  return body.length >= 2 && body[0] === GZIP_MAGIC[0] && body[1] === GZIP_MAGIC[1];
}

/** Inflates a gzip body, refusing output beyond maxBytes. */
export function gunzipCapped(body: Buffer, maxBytes: number): Buffer {
  try {
    return gunzipSync(body, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError)
      throw tooLarge(maxBytes);
    throw new BodyError(400, 'invalid_gzip', 'The body is marked as gzip but could not be decompressed');
  }
}

/** Deeper nesting is refused: real reports are a few levels deep, and the later checks and the store recurse. */
export const MAX_JSON_DEPTH = 64;
/**
 * More values (strings, numbers, ... at any depth) in one body are refused with a 413: a full
 * batch of 500 real events holds a few tens of thousands, while 1 MB of `0,0,0,...` holds
 * 500,000, and every later step (schema, privacy rule, size check) would walk them all.
 */
export const MAX_JSON_VALUES = 100_000;

/**
 * Parses JSON text, mapping a syntax error to a 400 with the parser's reason.
 * Also refused, naming the place: nesting deeper than MAX_JSON_DEPTH (it would
 * overflow the stack further on and end as a 500), a NUL character (\u0000) in
 * any key or string (PostgreSQL cannot store it in text or JSON; SQLite could,
 * but both drivers answer alike), and more than MAX_JSON_VALUES values (413).
 */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) throw new BodyError(400, 'empty_body', 'The body is empty; send a JSON object');
  // Counted on the bytes first: a body of 500,000 zeros is refused without building its array.
  if (structuralValuesOver(body, MAX_JSON_VALUES))
    throw new BodyError(413, 'payload_too_large', `The body holds more than ${MAX_JSON_VALUES} JSON values`);
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new BodyError(400, 'invalid_json', `The body is not valid JSON: ${(error as Error).message}`);
  }
  const problem = unstorableJson(value);
  if (problem?.kind === 'depth')
    throw new BodyError(400, 'too_deep', `${problem.path} is nested more than ${MAX_JSON_DEPTH} levels deep`);
  if (problem?.kind === 'nul')
    throw new BodyError(
      400,
      'invalid_text',
      `${problem.path} contains a NUL character (\\u0000), which cannot be stored`,
    );
  if (problem?.kind === 'values')
    throw new BodyError(
      413,
      'payload_too_large',
      `The body holds more than ${MAX_JSON_VALUES} JSON values (at ${problem.path})`,
    );
  return value;
}

/**
 * True when the JSON text has more than `limit` separators and openings outside strings
 * (a lower bound of its values, so valid text under it is left to the exact walk). One pass
 * over the bytes, stopping at the limit: about the cost of reading them. Inside a string it
 * jumps to the next quote (Buffer.indexOf, native), so long texts cost next to nothing.
 */
export function structuralValuesOver(body: Buffer, limit: number): boolean {
  let count = 0;
  for (let index = 0; index < body.length; index++) {
    const byte = body[index];
    if (byte === 0x22) {
      // The closing quote: the next one not escaped (preceded by an even number of backslashes).
      for (;;) {
        index = body.indexOf(0x22, index + 1);
        if (index < 0) return false; // unterminated: JSON.parse reports it
        let backslashes = 0;
        while (body[index - 1 - backslashes] === 0x5c) backslashes++;
        if (backslashes % 2 === 0) break;
      }
    } else if (byte === 0x2c || byte === 0x5b || byte === 0x7b) {
      if (++count > limit) return true;
    }
  }
  return false;
}

/** A value still to visit, with how it was reached: the path string is only built for the one reported. */
interface Pending {
  value: unknown;
  parent: Pending | null;
  key: string | number;
  depth: number;
}

function pathOf(entry: Pending): string {
  const parts: string[] = [];
  for (let at: Pending | null = entry; at?.parent; at = at.parent) {
    const top = at.parent.parent === null;
    if (typeof at.key === 'number') parts.push(top ? `(body)[${at.key}]` : `[${at.key}]`);
    else parts.push(top ? at.key : `.${at.key}`);
  }
  return parts.length ? parts.reverse().join('') : '(body)';
}

/**
 * The first place found (a path, "(body)" for the top level) nested too deep,
 * with a key or string holding U+0000, or past MAX_JSON_VALUES values; or null.
 * Iterative, so any depth is safe to inspect, and its cost is bounded by
 * MAX_JSON_VALUES: no per-element strings are built (they cost a 1 MB hostile
 * body 0.5-1 s of CPU and hundreds of MB before its 413).
 */
export function unstorableJson(
  root: unknown,
  maxValues = MAX_JSON_VALUES,
): { kind: 'depth' | 'nul' | 'values'; path: string } | null {
  const pending: Pending[] = [{ value: root, parent: null, key: '', depth: 0 }];
  let seen = 0;
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, depth } = next;
    if (++seen > maxValues) return { kind: 'values', path: pathOf(next) };
    if (typeof value === 'string') {
      if (value.includes('\0')) return { kind: 'nul', path: pathOf(next) };
    } else if (Array.isArray(value)) {
      if (depth >= MAX_JSON_DEPTH) return { kind: 'depth', path: pathOf(next) };
      if (seen + pending.length + value.length > maxValues) return { kind: 'values', path: pathOf(next) };
      for (let index = value.length - 1; index >= 0; index--)
        pending.push({ value: value[index], parent: next, key: index, depth: depth + 1 });
    } else if (value && typeof value === 'object') {
      if (depth >= MAX_JSON_DEPTH) return { kind: 'depth', path: pathOf(next) };
      const entries = Object.entries(value);
      if (seen + pending.length + entries.length > maxValues) return { kind: 'values', path: pathOf(next) };
      for (let index = entries.length - 1; index >= 0; index--) {
        const [key, item] = entries[index];
        const entry = { value: item, parent: next, key, depth: depth + 1 };
        if (key.includes('\0')) return { kind: 'nul', path: pathOf(entry) };
        pending.push(entry);
      }
    }
  }
  return null;
}

/** True for application/json, application/*+json, or no Content-Type at all. */
export function isJsonContentType(value: string | null): boolean {
  if (!value) return true;
  const type = value.split(';')[0].trim().toLowerCase();
  return type === 'application/json' || /^application\/[\w.+-]+\+json$/.test(type);
}
