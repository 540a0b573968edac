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
/** A daily decision's defaults: a process up for a long while, no boot ping on record. */
const running = { ...on, startedAt: new Date(0), lastBootSentAt: null };

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
    const daily = (ms: number) =>
      decideDaily({ ...running, now: new Date(ms), minuteOfDay: minute, lastDailySentAt: null });
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
      decideDaily({ ...running, now: new Date(due), minuteOfDay: minute, lastDailySentAt: new Date(due - ago) });
    expect(last(23 * HOUR_MS - 1)).toEqual({ send: false, reason: 'a daily ping went out in the last 23 hours' });
    expect(last(23 * HOUR_MS).send).toBe(true);
    // A ping stamped in the future by a replica whose clock runs ahead also blocks.
    expect(last(-MINUTE_MS).send).toBe(false);
  });

  it('the off switch stops the very next tick', () => {
    const due = new Date('2026-03-02T12:34:00Z');
    expect(decideDaily({ ...running, now: due, minuteOfDay: 754, lastDailySentAt: null }).send).toBe(true);
    expect(
      decideDaily({
        ...running,
        enabled: false,
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
      const decision = decideDaily({ ...running, now, minuteOfDay: minute, lastDailySentAt: sent.at(-1) ?? null });
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
    const none = { lastDailySentAt: null, lastBootSentAt: null };
    expect(nextDailyTime(before, minute, none)).toEqual(new Date('2026-03-02T12:34:00Z'));
    const inWindow = new Date('2026-03-02T12:40:00Z');
    expect(nextDailyTime(inWindow, minute, none)).toEqual(inWindow);
    const tomorrow = new Date('2026-03-03T12:34:00Z');
    const justSent = new Date('2026-03-02T12:35:00Z');
    expect(nextDailyTime(inWindow, minute, { ...none, lastDailySentAt: justSent })).toEqual(tomorrow);
    expect(nextDailyTime(inWindow, minute, { ...none, lastBootSentAt: justSent })).toEqual(tomorrow);
  });

  it('waits for the boot check: no daily ping in the first 30 s after start', () => {
    const due = new Date('2026-03-02T12:34:00Z').getTime();
    const startedAt = new Date(due + 10 * MINUTE_MS); // started 10 min into the window
    const daily = (ms: number) =>
      decideDaily({ ...running, startedAt, now: new Date(ms), minuteOfDay: 754, lastDailySentAt: null });
    expect(daily(startedAt.getTime() + BOOT_DELAY_MS - 1)).toEqual({
      send: false,
      reason: 'the boot check comes first',
    });
    expect(daily(startedAt.getTime() + BOOT_DELAY_MS)).toEqual({ send: true });
  });

  it("a boot ping inside today's window stands for the day's ping; one before the window does not", () => {
    const due = new Date('2026-03-02T12:34:00Z').getTime();
    const now = new Date(due + 20 * MINUTE_MS);
    const daily = (bootAt: number) =>
      decideDaily({ ...running, now, minuteOfDay: 754, lastDailySentAt: null, lastBootSentAt: new Date(bootAt) });
    expect(daily(due)).toEqual({ send: false, reason: "a boot ping went out in today's window" });
    expect(daily(due + 19 * MINUTE_MS).send).toBe(false);
    expect(daily(due - 1)).toEqual({ send: true });
    // Tomorrow's window is a new day: yesterday's boot ping does not stand for it.
    expect(
      decideDaily({
        ...running,
        now: new Date(now.getTime() + DAY_MS),
        minuteOfDay: 754,
        lastDailySentAt: null,
        lastBootSentAt: new Date(due),
      }),
    ).toEqual({ send: true });
  });

  it('any start time: the boot ping at 30 s comes first; a daily one follows only if its window opens later', () => {
    const minute = 754;
    const day = new Date('2026-03-02T00:00:00Z').getTime();
    // Every start minute of one day, each with a fresh history, ticks on each whole minute.
    for (let startMinute = 0; startMinute < 1440; startMinute += 7) {
      const startedAt = new Date(day + startMinute * MINUTE_MS + 17_000);
      const sent: { at: number; trigger: string }[] = [];
      const last = (trigger: string) => {
        const found = sent.filter((s) => s.trigger === trigger).at(-1);
        return found ? new Date(found.at) : null;
      };
      const events: { at: number; kind: 'boot' | 'tick' }[] = [
        { at: startedAt.getTime() + BOOT_DELAY_MS, kind: 'boot' },
      ];
      for (
        let t = Math.ceil(startedAt.getTime() / MINUTE_MS) * MINUTE_MS;
        t < startedAt.getTime() + HOUR_MS;
        t += MINUTE_MS
      ) {
        events.push({ at: t, kind: 'tick' });
      }
      events.sort((a, b) => a.at - b.at);
      for (const event of events) {
        const now = new Date(event.at);
        const decision =
          event.kind === 'boot'
            ? decideBoot({ ...on, startedAt, now, lastAnySentAt: sent.length ? new Date(sent.at(-1)!.at) : null })
            : decideDaily({
                ...on,
                startedAt,
                now,
                minuteOfDay: minute,
                lastDailySentAt: last('daily'),
                lastBootSentAt: last('boot'),
              });
        if (decision.send) sent.push({ at: event.at, trigger: event.kind === 'boot' ? 'boot' : 'daily' });
      }
      expect(sent[0], `started at minute ${startMinute}`).toEqual({
        at: startedAt.getTime() + BOOT_DELAY_MS,
        trigger: 'boot',
      });
      // A second ping in the first hour only when the day's window opens after the boot ping.
      const windowOpens = latestDailyOccurrence(new Date(startedAt.getTime() + HOUR_MS), minute).getTime();
      const expected = windowOpens > startedAt.getTime() + BOOT_DELAY_MS ? 2 : 1;
      expect(sent, `started at minute ${startMinute}`).toHaveLength(expected);
    }
  });
});
