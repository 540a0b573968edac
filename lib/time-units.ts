// Lengths of time in milliseconds, defined once: schedules, windows, retention
// and rollups all count in these (the telemetry day and the traffic hour must agree).
export const SECOND_MS = 1_000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
