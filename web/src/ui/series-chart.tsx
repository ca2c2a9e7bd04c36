/**
 * A small two-line time-series chart drawn in SVG: rates per second over the range, hover for values.
 */
import { type MouseEvent, useState } from 'react';
import { formatClock } from '../lib/index.js';

export interface ChartSeries {
  readonly name: string;
  readonly color: string;
  /** one value per point (already per second) */
  readonly values: readonly number[];
}

export interface SeriesChartProps {
  readonly times: readonly number[];
  readonly series: readonly ChartSeries[];
  readonly format: (value: number) => string;
  readonly width?: number;
  readonly height?: number;
  readonly testId?: string;
}

const PAD = { left: 6, right: 6, top: 8, bottom: 18 };

function path(values: readonly number[], x: (i: number) => number, y: (v: number) => number): string {
  return values.map((v, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join('');
}

export function SeriesChart({ times, series, format, width = 320, height = 120, testId }: SeriesChartProps) {
  const [hover, setHover] = useState<number | undefined>(undefined);
  const n = times.length;
  if (n === 0) return <div className="chart-empty">No data points in this range</div>;
  const max = Math.max(1e-9, ...series.flatMap((s) => s.values));
  const innerW = width - PAD.left - PAD.right;
  const innerH = height - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (n === 1 ? innerW / 2 : (i / (n - 1)) * innerW);
  const y = (v: number) => PAD.top + innerH - (v / max) * innerH;
  const onMove = (e: MouseEvent<SVGSVGElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    const rel = ((e.clientX - box.left) / box.width) * width - PAD.left;
    setHover(Math.max(0, Math.min(n - 1, Math.round((rel / innerW) * (n - 1)))));
  };
  const first = times[0] ?? 0;
  const last = times[n - 1] ?? 0;
  const withDate = last - first > 36 * 3600_000;
  return (
    <div className="chart" data-testid={testId}>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        width="100%"
        role="img"
        aria-label="traffic over time"
        onMouseMove={onMove}
        onMouseLeave={() => setHover(undefined)}
      >
        <line x1={PAD.left} x2={width - PAD.right} y1={y(0)} y2={y(0)} className="chart-axis" />
        <line x1={PAD.left} x2={width - PAD.right} y1={PAD.top} y2={PAD.top} className="chart-grid" />
        {series.map((s) => (
          <g key={s.name}>
            <path
              d={`${path(s.values, x, y)}L${x(n - 1).toFixed(1)},${y(0)}L${x(0).toFixed(1)},${y(0)}Z`}
              fill={s.color}
              opacity={0.1}
            />
            <path d={path(s.values, x, y)} fill="none" stroke={s.color} strokeWidth={1.6} />
          </g>
        ))}
        <text x={PAD.left + 2} y={PAD.top + 9} className="chart-label">
          {format(max)}
        </text>
        <text x={PAD.left} y={height - 4} className="chart-label">
          {formatClock(first, withDate)}
        </text>
        <text x={width - PAD.right} y={height - 4} className="chart-label" textAnchor="end">
          {formatClock(last, withDate)}
        </text>
        {hover !== undefined && <line x1={x(hover)} x2={x(hover)} y1={PAD.top} y2={y(0)} className="chart-cursor" />}
      </svg>
      <div className="chart-legend">
        {hover !== undefined && <span className="chart-time">{formatClock(times[hover] ?? 0, withDate)}</span>}
        {series.map((s) => (
          <span key={s.name}>
            <i style={{ background: s.color }} />
            {s.name}
            {hover !== undefined ? `: ${format(s.values[hover] ?? 0)}` : ''}
          </span>
        ))}
      </div>
    </div>
  );
}
