// The two databases the platform runs on. One list, so the config schema, the
// telemetry payload schema and the migrator cannot disagree.
export const DB_DRIVERS = ['sqlite', 'postgres'] as const;

export type Driver = (typeof DB_DRIVERS)[number];
