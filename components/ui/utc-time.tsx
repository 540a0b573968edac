// Times are shown in UTC everywhere (servers and replicas agree on it; the
// daily ping time is stored in UTC), as "YYYY-MM-DD" or "YYYY-MM-DD HH:MM:SS".
export function formatUtc(value: Date | string, precision: 'day' | 'second' = 'second'): string {
  const iso = typeof value === 'string' ? value : value.toISOString();
  return precision === 'day' ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

export function UtcTime({ value, precision = 'second' }: { value: Date | string; precision?: 'day' | 'second' }) {
  const iso = typeof value === 'string' ? value : value.toISOString();
  return <time dateTime={iso}>{formatUtc(iso, precision)}</time>;
}
