// The schedule's rules on a fake clock: boot delay, daily time and window,
// the 23 h and 1 h rules, the off switch. No database: the rules are pure.
import { describe, expect, it } from 'vitest';
import {
  BOOT_DELAY_MS,
  decideBoot,
  decideDaily,
  formatDailyTime,
  inDailyWindow,
  latestDailyOccurrence,
  nextDailyTime,
  parseDailyTime,
  pickDailyMinute,
} from '../../lib/telemetry/schedule';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../lib/time-units';

const T0 = new Date('2026-03-02T00:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const on = { enabled: true, setupComplete: true };

describe('boot ping', () => {
  it('waits 30 s after start', () => {
    expect(decideBoot({ ...on, startedAt: T0, now: at(BOOT_DELAY_MS - 1), lastAnySentAt: null })).toEqual({
      send: false,
      reason: 'too early',
    });
    expect(decideBoot({ ...on, startedAt: T0, now: at(BOOT_DELAY_MS), lastAnySentAt: null })).toEqual({ send: true });
  });

  it('is skipped when any ping went out in the last hour, sent when it is an hour old', () => {
    const now = at(2 * HOUR_MS);
    expect(decideBoot({ ...on, startedAt: T0, now, lastAnySentAt: new Date(now.getTime() - HOUR_MS + 1) }).send).toBe(
      false,
    );
    expect(decideBoot({ ...on, startedAt: T0, now, lastAnySentAt: new Date(now.getTime() - HOUR_MS) }).send).toBe(true);
  });

  it('needs setup complete and telemetry on', () => {
    expect(
      decideBoot({ enabled: false, setupComplete: true, startedAt: T0, now: at(BOOT_DELAY_MS), lastAnySentAt: null }),
    ).toEqual({ send: false, reason: 'telemetry is off' });
    expect(
      decideBoot({ enabled: true, setupComplete: false, startedAt: T0, now: at(BOOT_DELAY_MS), lastAnySentAt: null }),
    ).toEqual({ send: false, reason: 'setup is not complete' });
  });
});

describe('daily time', () => {
  it('is a random minute of the day, stored as HH:MM and read back', () => {
    expect(pickDailyMinute(() => 0)).toBe(0);
    expect(pickDailyMinute(() => 0.999999999)).toBe(1439);
    const picks = Array.from({ length: 2000 }, () => pickDailyMinute());
    expect(Math.min(...picks)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...picks)).toBeLessThanOrEqual(1439);
    // Spread over the day, not one herd: every 3-hour block gets some.
    for (let block = 0; block < 8; block++) expect(picks.some((m) => Math.floor(m / 180) === block)).toBe(true);
    for (const minute of [0, 59, 60, 754, 1439]) expect(parseDailyTime(formatDailyTime(minute))).toBe(minute);
    expect(formatDailyTime(754)).toBe('12:34');
    for (const bad of ['24:00', '7:5', '', null, '12:60', 'noon']) expect(parseDailyTime(bad)).toBeNull();
  });

  it('finds the latest occurrence in UTC', () => {
    expect(latestDailyOccurrence(new Date('2026-03-02T12:34:00Z'), 754)).toEqual(new Date('2026-03-02T12:34:00Z'));
    expect(latestDailyOccurrence(new Date('2026-03-02T12:33:59Z'), 754)).toEqual(new Date('2026-03-01T12:34:00Z'));
  });

  it('sends only inside the hour after the time of day', () => {
    const minute = 754; // 12:34 UTC
    const due = new Date('2026-03-02T12:34:00Z').getTime();
    const daily = (ms: number) => decideDaily({ ...on, now: new Date(ms), minuteOfDay: minute, lastDailySentAt: null });
    expect(daily(due - 1).send).toBe(false);
    expect(daily(due).send).toBe(true);
    expect(daily(due + HOUR_MS - 1).send).toBe(true);
    expect(daily(due + HOUR_MS)).toEqual({ send: false, reason: 'not the time of day' });
    expect(inDailyWindow(new Date(due + 30 * MINUTE_MS), minute)).toBe(true);
  });

  it('sends at most once per 23 h', () => {
    const minute = 754;
    const due = new Date('2026-03-03T12:34:00Z').getTime();
    const last = (ago: number) =>
      decideDaily({ ...on, now: new Date(due), minuteOfDay: minute, lastDailySentAt: new Date(due - ago) });
    expect(last(23 * HOUR_MS - 1)).toEqual({ send: false, reason: 'a daily ping went out in the last 23 hours' });
    expect(last(23 * HOUR_MS).send).toBe(true);
    // A ping stamped in the future by a replica whose clock runs ahead also blocks.
    expect(last(-MINUTE_MS).send).toBe(false);
  });

  it('the off switch stops the very next tick', () => {
    const due = new Date('2026-03-02T12:34:00Z');
    expect(
      decideDaily({ enabled: true, setupComplete: true, now: due, minuteOfDay: 754, lastDailySentAt: null }).send,
    ).toBe(true);
    expect(
      decideDaily({
        enabled: false,
        setupComplete: true,
        now: new Date(due.getTime() + MINUTE_MS),
        minuteOfDay: 754,
        lastDailySentAt: null,
      }),
    ).toEqual({ send: false, reason: 'telemetry is off' });
  });

  it('a fake week of minute ticks, with a restart late in a window, gives exactly 7 daily pings a day apart', () => {
    const minute = pickDailyMinute(() => 0.7312);
    const sent: Date[] = [];
    // Ticks every minute for 7 days starting just after a window closes, plus a late tick
    // (a process that came up 59 min after the time of day) on day 3.
    const start = latestDailyOccurrence(T0, minute).getTime() + HOUR_MS;
    for (let t = start; t < start + 7 * DAY_MS; t += MINUTE_MS) {
      const now = new Date(t);
      const due = latestDailyOccurrence(now, minute).getTime();
      const lateRestartDay = Math.floor((due - start) / DAY_MS) === 2;
      if (lateRestartDay && t < due + 59 * MINUTE_MS) continue; // down for most of that window
      const decision = decideDaily({ ...on, now, minuteOfDay: minute, lastDailySentAt: sent.at(-1) ?? null });
      if (decision.send) sent.push(now);
    }
    expect(sent).toHaveLength(7);
    for (const time of sent) expect(inDailyWindow(time, minute)).toBe(true);
    for (let i = 1; i < sent.length; i++)
      expect(sent[i].getTime() - sent[i - 1].getTime()).toBeGreaterThanOrEqual(23 * HOUR_MS);
  });

  it('reports the next daily time', () => {
    const minute = 754;
    const before = new Date('2026-03-02T10:00:00Z');
    expect(nextDailyTime(before, minute, null)).toEqual(new Date('2026-03-02T12:34:00Z'));
    const inWindow = new Date('2026-03-02T12:40:00Z');
    expect(nextDailyTime(inWindow, minute, null)).toEqual(inWindow);
    expect(nextDailyTime(inWindow, minute, new Date('2026-03-02T12:35:00Z'))).toEqual(new Date('2026-03-03T12:34:00Z'));
  });
});
