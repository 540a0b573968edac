// lib/http-post.ts against real sockets: what the ping and the usage events
// rely on (status, body, the deadline, the error codes the senders classify).
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpPost } from '../../lib/http-post';
import { startCollector, type TestCollector } from '../helpers/ping-receiver';
import { freePort } from '../e2e/platform';

let collector: TestCollector;
beforeAll(async () => {
  collector = await startCollector(200);
});
afterAll(() => collector.close());

describe('httpPost', () => {
  it('sends the body with its length and headers, and gives status and body back', async () => {
    collector.mode = 201;
    const answer = await httpPost(collector.url, {
      headers: { 'content-type': 'application/json' },
      body: '{"a":"é"}',
    });
    expect(answer.status).toBe(201);
    expect(answer.ok).toBe(true);
    expect(await answer.json()).toEqual({});
    expect(collector.received.at(-1)).toMatchObject({
      method: 'POST',
      contentType: 'application/json',
      body: '{"a":"é"}',
    });
  });

  it('sends bytes as they are (gzipped event batches)', async () => {
    collector.mode = 200;
    await httpPost(collector.url, { body: new Uint8Array([104, 105]) });
    expect(collector.received.at(-1)!.body).toBe('hi');
  });

  it('answers a redirect or an error status as it is, without following it', async () => {
    collector.mode = 503;
    expect(await httpPost(collector.url, { body: '{}' })).toMatchObject({ status: 503, ok: false });
    collector.mode = 301;
    expect(await httpPost(collector.url, { body: '{}' })).toMatchObject({ status: 301, ok: false });
  });

  it('gives up at the deadline with a TimeoutError when nobody answers', async () => {
    collector.mode = 'hang';
    const started = performance.now();
    await expect(httpPost(collector.url, { body: '{}', timeoutMs: 300 })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    collector.release(200);
  });

  it('rejects with the reason of an aborted signal', async () => {
    collector.mode = 'hang';
    const controller = new AbortController();
    const pending = httpPost(collector.url, { body: '{}', signal: controller.signal });
    const reason = Object.assign(new Error('stop'), { name: 'AbortError' });
    setTimeout(() => controller.abort(reason), 50);
    await expect(pending).rejects.toBe(reason);
    collector.release(200);
  });

  it('passes on the network error codes the senders classify', async () => {
    const port = await freePort(); // nothing listens there
    await expect(httpPost(`http://127.0.0.1:${port}/`, { body: '{}' })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    collector.mode = 'reset';
    await expect(httpPost(collector.url, { body: '{}' })).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('a status received counts even when the body is then cut short; reading that body fails', async () => {
    collector.mode = 'truncate';
    const answer = await httpPost(collector.url, { body: '{}', timeoutMs: 2000 });
    expect(answer.status).toBe(200);
    await expect(answer.text()).rejects.toBeInstanceOf(Error);
  });

  it('keeps at most 64 KB of an answer', async () => {
    const big: Server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.end('x'.repeat(1_000_000)));
    });
    await new Promise<void>((resolve) => big.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = big.address() as { port: number };
      const answer = await httpPost(`http://127.0.0.1:${port}/`, { body: '{}' });
      expect((await answer.text()).length).toBe(64 * 1024);
    } finally {
      await new Promise((resolve) => big.close(resolve));
    }
  });

  it('refuses a URL that is not http or https', async () => {
    await expect(httpPost('file:///etc/passwd')).rejects.toThrow(/unsupported protocol/);
  });
});
