'use client';
// Charts of the collector dashboard, in the shapes of components/ui/charts.tsx.
// The page passes plain numbers; every chart has a table beside it with the same figures.
import type { DayTotals, Share } from '@/lib/collector/stats';
import { LabelCounts, NoChartData, TimeChart } from '@/components/ui/charts';

const INSTANCES = { key: 'instances', name: 'Instances', colour: '#1d4ed8' };

export function ShareChart({ data, name }: { data: Share[]; name: string }) {
  if (data.length === 0) return <NoChartData>No instances reported in this window.</NoChartData>;
  return <LabelCounts data={data} name={name} count={INSTANCES} labelWidth={110} />;
}

const DAY_SERIES = [
  { key: 'pings', name: 'Pings', colour: '#1d4ed8' },
  { key: 'instances', name: 'Instances', colour: '#059669' },
  { key: 'senders', name: 'Sender addresses', colour: '#d97706' },
];

export function PingsPerDayChart({ data }: { data: DayTotals[] }) {
  if (data.length === 0) return <NoChartData>No pings received yet.</NoChartData>;
  return (
    <TimeChart
      kind="lines"
      data={data}
      x="day"
      series={DAY_SERIES}
      minTickGap={24}
      dots={data.length <= 31} // a line of one or a few days is invisible without its points
      integers
      height={280}
      testId="chart-pings-per-day"
      label="Line chart: pings per day"
    />
  );
}
