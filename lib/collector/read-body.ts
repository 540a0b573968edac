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

/** Parses JSON text, mapping a syntax error to a 400 with the parser's reason. */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) throw new BodyError(400, 'empty_body', 'The body is empty; send a JSON object');
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new BodyError(400, 'invalid_json', `The body is not valid JSON: ${(error as Error).message}`);
  }
}

/** True for application/json, application/*+json, or no Content-Type at all. */
export function isJsonContentType(value: string | null): boolean {
  if (!value) return true;
  const type = value.split(';')[0].trim().toLowerCase();
  return type === 'application/json' || /^application\/[\w.+-]+\+json$/.test(type);
}
