'use client';
// The two chart shapes of the admin dashboards (recharts draws in the browser):
// a series over time (lines, or bars stacked per step) and horizontal bars, one
// row per label. Each draws inside a ChartFrame, which renders it only in the
// browser (CSP). The dashboards pass plain numbers and keep a table beside every
// chart with the same figures; their chart files only name the series.
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ChartFrame } from '@/components/ui/chart-frame';

/** One line or bar of a chart: the datum key it reads, its legend name and colour. */
export interface Series {
  key: string;
  name?: string;
  colour: string;
}

interface Frame {
  height: number;
  testId: string;
  label: string;
}

/** What stands in place of a chart with nothing to draw. */
export function NoChartData({ children }: { children: React.ReactNode }) {
  return <p className="text-sm text-slate-500">{children}</p>;
}

/**
 * A series over time, `x` naming the datum key of the step. `lines` draws one line a series
 * (with its points when `dots`); `stacked` one bar a step, a segment a series.
 */
export function TimeChart({
  data,
  x,
  series,
  kind,
  minTickGap,
  dots = false,
  integers = false,
  yUnit,
  ...frame
}: Frame & {
  data: object[];
  x: string;
  series: Series[];
  kind: 'lines' | 'stacked';
  minTickGap: number;
  dots?: boolean;
  integers?: boolean;
  yUnit?: string;
}) {
  const axes = [
    <XAxis key="x" dataKey={x} minTickGap={minTickGap} />,
    <YAxis key="y" unit={yUnit} allowDecimals={integers ? false : undefined} />,
    <Tooltip key="tooltip" />,
    <Legend key="legend" />,
  ];
  return (
    <ChartFrame {...frame}>
      <ResponsiveContainer width="100%" height="100%">
        {kind === 'lines' ? (
          <LineChart data={data} margin={{ left: 0, right: 16 }}>
            <CartesianGrid strokeDasharray="3 3" />
            {axes}
            {series.map((s) => (
              <Line
                key={s.key}
                type="monotone"
                dataKey={s.key}
                name={s.name}
                stroke={s.colour}
                dot={dots}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        ) : (
          <BarChart data={data} margin={{ left: 0, right: 16 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            {axes}
            {series.map((s) => (
              <Bar
                key={s.key}
                dataKey={s.key}
                name={s.name}
                stackId="stack"
                fill={s.colour}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        )}
      </ResponsiveContainer>
    </ChartFrame>
  );
}

/** Horizontal bars, one row a datum labelled by its `category` key, one bar a series. */
export function HorizontalBars({
  data,
  category,
  categoryWidth,
  series,
  integers = false,
  unit,
  legend = false,
  ...frame
}: Frame & {
  data: object[];
  category: string;
  categoryWidth: number;
  series: Series[];
  integers?: boolean;
  unit?: string;
  legend?: boolean;
}) {
  return (
    <ChartFrame {...frame}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} layout="vertical" margin={{ left: 16, right: 16 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" unit={unit} allowDecimals={integers ? false : undefined} />
          <YAxis type="category" dataKey={category} width={categoryWidth} />
          <Tooltip />
          {legend && <Legend />}
          {series.map((s) => (
            <Bar key={s.key} dataKey={s.key} name={s.name} fill={s.colour} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}

/** Horizontal bars of one count a label (`data` rows have a `label`), test id chart-<name>. */
export function LabelCounts({
  data,
  name,
  count,
  labelWidth,
}: {
  data: object[];
  name: string;
  count: Series;
  labelWidth: number;
}) {
  return (
    <HorizontalBars
      data={data}
      category="label"
      categoryWidth={labelWidth}
      series={[count]}
      integers
      height={Math.max(120, data.length * 32 + 40)}
      testId={`chart-${name}`}
      label={`Bar chart: ${name}`}
    />
  );
}
