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

const tooLarge = (maxBytes: number) => new BodyError(413, 'payload_too_large', `The body is larger than ${maxBytes} bytes`);

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
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) throw tooLarge(maxBytes);
    throw new BodyError(400, 'invalid_gzip', 'The body is marked as gzip but could not be decompressed');
  }
}

/** Deeper nesting is refused: real reports are a few levels deep, and the later checks and the store recurse. */
export const MAX_JSON_DEPTH = 64;

/**
 * Parses JSON text, mapping a syntax error to a 400 with the parser's reason.
 * Also refused with a 400 naming the place: nesting deeper than MAX_JSON_DEPTH
 * (it would overflow the stack further on and end as a 500), and a NUL
 * character (\u0000) in any key or string (PostgreSQL cannot store it in text
 * or JSON; SQLite could, but both drivers answer alike).
 */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) throw new BodyError(400, 'empty_body', 'The body is empty; send a JSON object');
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new BodyError(400, 'invalid_json', `The body is not valid JSON: ${(error as Error).message}`);
  }
  const problem = unstorableJson(value);
  if (problem?.kind === 'depth') throw new BodyError(400, 'too_deep', `${problem.path} is nested more than ${MAX_JSON_DEPTH} levels deep`);
  if (problem?.kind === 'nul') throw new BodyError(400, 'invalid_text', `${problem.path} contains a NUL character (\\u0000), which cannot be stored`);
  return value;
}

/**
 * The first place found (a path, "(body)" for the top level) nested too deep or
 * with a key or string holding U+0000, or null. Iterative, so any depth is safe to inspect.
 */
export function unstorableJson(root: unknown): { kind: 'depth' | 'nul'; path: string } | null {
  const pending: Array<[unknown, string, number]> = [[root, '(body)', 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [value, path, depth] = next;
    if (typeof value === 'string') {
      if (value.includes('\0')) return { kind: 'nul', path };
    } else if (Array.isArray(value)) {
      if (depth >= MAX_JSON_DEPTH) return { kind: 'depth', path };
      value.forEach((item, index) => pending.push([item, `${path}[${index}]`, depth + 1]));
    } else if (value && typeof value === 'object') {
      if (depth >= MAX_JSON_DEPTH) return { kind: 'depth', path };
      for (const [key, item] of Object.entries(value)) {
        const at = path === '(body)' ? key : `${path}.${key}`;
        if (key.includes('\0')) return { kind: 'nul', path: at };
        pending.push([item, at, depth + 1]);
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
