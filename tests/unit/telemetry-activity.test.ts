// A claimed ping without an outcome reads "in progress" for as long as a ping can take
// (two attempts of telemetry.timeoutMs and the retry delay), and "interrupted" after.
import { describe, expect, it } from 'vitest';
import { maxPingMs, summariseSend } from '../../lib/telemetry/activity';

const sentAt = new Date('2026-05-01T10:00:00Z');
const claimed = {
  id: 'x',
  sentAt,
  trigger: 'daily',
  ok: false,
  status: null,
  error: null,
  durationMs: null,
  attempts: 1,
  payload: null,
  slot: null,
};
const after = (ms: number) => new Date(sentAt.getTime() + ms);

describe('a ping without an outcome', () => {
  it('is in progress while a ping with the longest timeout may still be retrying', () => {
    // timeoutMs 60 s: 60 s + 5 s retry delay + 60 s; at 90 s it may still be on its second attempt.
    expect(summariseSend(claimed, after(90_000), 60_000).result).toBe('in progress');
    expect(summariseSend(claimed, after(maxPingMs(60_000) + 1), 60_000).result).toBe('interrupted');
  });

  it('is interrupted soon after the default timeout has run out twice', () => {
    expect(summariseSend(claimed, after(5_000), 3000).result).toBe('in progress');
    expect(summariseSend(claimed, after(maxPingMs(3000) + 1), 3000).result).toBe('interrupted');
    expect(maxPingMs(3000)).toBeLessThan(60_000);
  });
});
