'use client';
// Charts of the collector dashboard (recharts draws in the browser). The page
// passes plain numbers; every chart has a table beside it with the same figures.
import { Bar, BarChart, CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis, Legend } from 'recharts';

export interface ShareDatum {
  label: string;
  instances: number;
}

export function ShareChart({ data, name }: { data: ShareDatum[]; name: string }) {
  if (data.length === 0) return <p className="text-sm text-slate-500">No instances reported in this window.</p>;
  const height = Math.max(120, data.length * 32 + 40);
  return (
    <div style={{ height }} data-testid={`chart-${name}`} role="img" aria-label={`Bar chart: ${name}`}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} layout="vertical" margin={{ left: 16, right: 16 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" allowDecimals={false} />
          <YAxis type="category" dataKey="label" width={110} />
          <Tooltip />
          <Bar dataKey="instances" name="Instances" fill="#1d4ed8" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

export interface DayDatum {
  day: string;
  pings: number;
  instances: number;
  senders: number;
}

export function PingsPerDayChart({ data }: { data: DayDatum[] }) {
  if (data.length === 0) return <p className="text-sm text-slate-500">No pings received yet.</p>;
  const dots = data.length <= 31; // a line of one or a few days is invisible without its points
  return (
    <div style={{ height: 280 }} data-testid="chart-pings-per-day" role="img" aria-label="Line chart: pings per day">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ left: 0, right: 16 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="day" minTickGap={24} />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Legend />
          <Line type="monotone" dataKey="pings" name="Pings" stroke="#1d4ed8" dot={dots} isAnimationActive={false} />
          <Line type="monotone" dataKey="instances" name="Instances" stroke="#059669" dot={dots} isAnimationActive={false} />
          <Line type="monotone" dataKey="senders" name="Sender addresses" stroke="#d97706" dot={dots} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
