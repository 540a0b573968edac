// readBodyCapped: the body counted as it streams in (Content-Length is only a hint).
import { describe, expect, it } from 'vitest';
import { BodyError, readBodyCapped } from '../../lib/collector/read-body';

/** A request whose body arrives in the given chunks, with no declared length. */
function streamed(chunks: string[], headers: Record<string, string> = {}): Request {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
      controller.close();
    },
  });
  return new Request('http://collector.test/batch/', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);
}

describe('readBodyCapped', () => {
  it('joins the chunks', async () => {
    expect(String(await readBodyCapped(streamed(['{"a":', '1}']), 100))).toBe('{"a":1}');
  });

  it('refuses a body over the cap, declared or not', async () => {
    await expect(readBodyCapped(streamed(['12345', '678901']), 10)).rejects.toMatchObject({
      status: 413,
      code: 'payload_too_large',
    });
    await expect(readBodyCapped(streamed(['1'], { 'content-length': '11' }), 10)).rejects.toBeInstanceOf(BodyError);
  });
});
