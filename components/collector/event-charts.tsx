'use client';
// Charts of the Events section, in the shapes of components/ui/charts.tsx. The page
// passes plain numbers; every chart has a table beside it with the same figures.
import { LabelCounts, NoChartData, TimeChart } from '@/components/ui/charts';

const COLOURS = ['#1d4ed8', '#059669', '#d97706', '#7c3aed', '#dc2626', '#0891b2', '#65a30d', '#db2777'];

/** Events per day, one stacked bar per day with a segment per event name. */
export function EventsPerDayChart({
  days,
  names,
}: {
  days: Array<{ day: string; counts: Record<string, number> }>;
  names: string[];
}) {
  if (days.length === 0) return <NoChartData>No events received in this window.</NoChartData>;
  return (
    <TimeChart
      kind="stacked"
      data={days.map((day) => ({ day: day.day, ...day.counts }))}
      x="day"
      series={names.map((name, index) => ({ key: name, colour: COLOURS[index % COLOURS.length] }))}
      minTickGap={24}
      integers
      height={300}
      testId="chart-events-per-day"
      label="Bar chart: events per day"
    />
  );
}

const EVENTS = { key: 'count', name: 'Events', colour: '#1d4ed8' };

/** Horizontal bars of counts (error types, commands, uptime buckets). */
export function CountChart({ data, name }: { data: Array<{ label: string; count: number }>; name: string }) {
  if (data.every((row) => row.count === 0)) return <NoChartData>None in this window.</NoChartData>;
  return <LabelCounts data={data} name={name} count={EVENTS} labelWidth={130} />;
}
