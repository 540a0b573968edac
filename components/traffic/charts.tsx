'use client';
// Charts of /admin/traffic, in the shapes of components/ui/charts.tsx. The page passes
// plain numbers computed in SQL; every chart has a table beside it.
import { HorizontalBars, NoChartData, TimeChart } from '@/components/ui/charts';

/** One step of the window: requests per minute and the error shares in percent. */
export type TrafficPointDatum = { label: string } & Record<'requestsPerMinute' | ErrorKey, number>;
type ErrorKey = 'serverErrorPercent' | 'clientErrorPercent';

const REQUEST_SERIES = [{ key: 'requestsPerMinute', name: 'Requests per minute', colour: '#1d4ed8' }];
const ERROR_SERIES = [
  { key: 'serverErrorPercent', name: 'Server errors (5xx) %', colour: '#dc2626' },
  { key: 'clientErrorPercent', name: 'Client errors (4xx) %', colour: '#d97706' },
];

/** Requests per minute above the error rates, one step of the window a point. */
export function RequestCharts({ data }: { data: TrafficPointDatum[] }) {
  if (data.length === 0) return <NoChartData>No requests recorded in this window.</NoChartData>;
  const lines = { kind: 'lines', data, x: 'label', minTickGap: 32, dots: data.length <= 2 } as const;
  return (
    <>
      <TimeChart
        {...lines}
        series={REQUEST_SERIES}
        height={260}
        testId="chart-requests"
        label="Line chart: requests per minute"
      />
      <TimeChart
        {...lines}
        series={ERROR_SERIES}
        yUnit="%"
        height={220}
        testId="chart-errors"
        label="Line chart: error rate"
      />
    </>
  );
}

/** A route's latency percentiles in ms. */
export type LatencyDatum = { route: string } & Record<'p50' | 'p95' | 'p99', number>;

const LATENCY_SERIES = [
  { key: 'p50', name: 'p50', colour: '#93c5fd' },
  { key: 'p95', name: 'p95', colour: '#1d4ed8' },
  { key: 'p99', name: 'p99', colour: '#1e3a8a' },
];

export function LatencyChart({ data }: { data: LatencyDatum[] }) {
  if (data.length === 0) return null;
  return (
    <HorizontalBars
      data={data}
      category="route"
      categoryWidth={180}
      series={LATENCY_SERIES}
      unit=" ms"
      legend
      height={Math.max(140, data.length * 36 + 60)}
      testId="chart-latency"
      label="Bar chart: latency by route"
    />
  );
}
