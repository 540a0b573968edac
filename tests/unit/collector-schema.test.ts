// Pure parts of the collector: what counts as an unknown field, size classes,
// PostHog body shapes, and the day series of the dashboard.
import { describe, expect, it } from 'vitest';
import { bucketOf, countUnknownFields, nodeMajor, parsePing } from '../../lib/collector/report-schema';
import { parsePosthogBody } from '../../lib/collector/posthog-schema';
import { isJsonContentType, structuralValuesOver } from '../../lib/collector/read-body';

const ID = '0b5e4c7e-3f6a-4d43-9a8c-6d2f0f1e2a3b';

describe('ping schema', () => {
  it('counts unknown fields at every level, an unknown object once', () => {
    expect(countUnknownFields({ instanceId: ID })).toBe(0);
    expect(countUnknownFields({ instanceId: ID, a: 1, b: { c: 1, d: 2 } })).toBe(2);
    expect(
      countUnknownFields({
        instanceId: ID,
        os: { type: 'Linux', kernel: '6' },
        platform: { counts: { users: 1, bots: 2 }, extra: [] },
      }),
    ).toBe(3);
  });

  it('drops unknown fields from the stored value and keeps known ones', () => {
    const parsed = parsePing({ instanceId: ID, os: { arch: 'x64', cpu: 'M3' }, secret: 'x' });
    expect(parsed).toEqual({
      ok: true,
      value: { instanceId: ID, os: { arch: 'x64' } },
      droppedFields: 2,
      extras: null,
    });
  });

  it('names the field in the reason for a wrong type', () => {
    const parsed = parsePing({ instanceId: ID, env: { nodejs: 20 } });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues[0].path).toBe('env.nodejs');
  });

  it('sorts counts into size classes and Node.js versions into majors', () => {
    expect([0, 1, 9, 10, 99, 100, 999, 1000, 9999, 10000, 5e6].map(bucketOf)).toEqual([
      '0',
      '1-9',
      '1-9',
      '10-99',
      '10-99',
      '100-999',
      '100-999',
      '1,000-9,999',
      '1,000-9,999',
      '10,000+',
      '10,000+',
    ]);
    expect(['v20.20.2', '22.1.0', 'weird'].map(nodeMajor)).toEqual(['v20', 'v22', 'weird']);
  });
});

describe('PostHog bodies', async () => {
  it('reads a single event, a batch and a bare array', async () => {
    const one = await parsePosthogBody({ event: 'e', distinct_id: 'a' });
    const batch = await parsePosthogBody({
      api_key: 'k',
      batch: [
        { event: 'e', distinct_id: 'a' },
        { event: 'f', properties: { distinct_id: 7 } },
      ],
    });
    const array = await parsePosthogBody([{ event: 'e', distinct_id: 'a' }]);
    expect(one.ok && one.events.length).toBe(1);
    expect(batch.ok && batch.events.map((e) => e.distinctId)).toEqual(['a', '7']);
    expect(array.ok && array.events.length).toBe(1);
  });

  it('treats a timestamp without an offset as UTC and drops address-like properties', async () => {
    const parsed = await parsePosthogBody({
      event: 'e',
      distinct_id: 'a',
      timestamp: '2026-03-04T05:06:07',
      properties: { $ip: '1.2.3.4', keep: 1 },
    });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.events[0].occurredAt?.toISOString()).toBe('2026-03-04T05:06:07.000Z');
    expect(parsed.events[0].properties).toEqual({ keep: 1 });
    expect(parsed.events[0].droppedFields).toBe(1);
  });
});

describe('content types', () => {
  it('accepts JSON types and none, refuses others', () => {
    expect(
      [null, 'application/json', 'application/json; charset=utf-8', 'application/vnd.api+json'].map(isJsonContentType),
    ).toEqual([true, true, true, true]);
    expect(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data'].map(isJsonContentType)).toEqual([
      false,
      false,
      false,
    ]);
  });
});

describe('the byte count of JSON values before parsing', () => {
  const over = (text: string, limit: number) => structuralValuesOver(Buffer.from(text), limit);
  it('counts separators and openings outside strings only', () => {
    expect(over('[0,0,0,0]', 3)).toBe(true); // [ and three commas
    expect(over('[0,0,0,0]', 4)).toBe(false);
    expect(over(JSON.stringify(['a,b,c,[{', 'd']), 2)).toBe(false); // the commas in the text do not count
  });
  it('finds the end of a string past escaped quotes and backslashes', () => {
    expect(over(JSON.stringify(['say "a,b"', 0, 0]), 3)).toBe(false);
    expect(over(JSON.stringify(['ends in \\', 0, 0, 0]), 3)).toBe(true); // the quote after \\ closes the text
    expect(over(JSON.stringify(['\\"', ',,,,']), 2)).toBe(false); // [ and one comma: the rest is text
    expect(over('["unterminated,,,,', 1)).toBe(false); // left to JSON.parse, which reports it
  });
  it('refuses a megabyte of zeros on its bytes', () => {
    expect(over(JSON.stringify({ p: new Array(500_000).fill(0) }), 100_000)).toBe(true);
  });
});

describe('dashboard day series', async () => {
  const { fillDays } = await import('../../lib/collector/stats');
  it('fills the days without pings with zeros up to today', () => {
    const days = fillDays(
      [
        { day: '2030-02-27', pings: 2, instances: 1, senders: 1 },
        { day: '2030-03-02', pings: 1, instances: 1, senders: 1 },
      ],
      '2030-03-03',
    );
    expect(days.map((d) => `${d.day}:${d.pings}`)).toEqual([
      '2030-02-27:2',
      '2030-02-28:0',
      '2030-03-01:0',
      '2030-03-02:1',
      '2030-03-03:0',
    ]);
    expect(fillDays([], '2030-03-03')).toEqual([]);
  });
});
