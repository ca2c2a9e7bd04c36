/**
 * The time bar: live switch, range length, step buttons, and a scrubber over the stored history
 * (/api/v1/timeline). Drag on the scrubber to pick a past range; click to move the current range there.
 */
import { type PointerEvent, useRef, useState } from 'react';
import type { TimelineResponse } from '../../../src/contract/responses.js';
import { formatBytes, formatClock, formatDuration, resolveRange, type ViewState } from '../lib/index.js';
import type { SetViewState } from './use-view-state.js';

const SPANS = [60, 360, 1440, 10_080, 43_200] as const;
const WINDOWS = [5, 15, 60, 360, 1440] as const;
const W = 1000;
const H = 56;

/** the smallest span (minutes) that shows the range with context around it */
export function spanFor(from: number, to: number, now: number): number {
  for (const span of SPANS) if (now - span * 60_000 <= from && span * 60_000 >= 3 * (to - from)) return span;
  return Math.max(SPANS[SPANS.length - 1]!, Math.ceil((now - from) / 60_000));
}

export interface TimelineBarProps {
  readonly state: ViewState;
  readonly setState: SetViewState;
  readonly now: number;
  readonly timeline: TimelineResponse | undefined;
  readonly span: number;
}

export function TimelineBar({ state, setState, now, timeline, span }: TimelineBarProps) {
  const { from, to } = resolveRange(state, now);
  const spanFrom = now - span * 60_000;
  const x = (t: number) => ((t - spanFrom) / (now - spanFrom)) * W;
  const tOf = (px: number) => spanFrom + (px / W) * (now - spanFrom);
  const svg = useRef<SVGSVGElement>(null);
  const [drag, setDrag] = useState<{ a: number; b: number } | undefined>(undefined);
  const toPx = (e: PointerEvent) => {
    const box = svg.current?.getBoundingClientRect();
    return box ? Math.max(0, Math.min(W, ((e.clientX - box.left) / box.width) * W)) : 0;
  };
  const setRange = (a: number, b: number) =>
    setState((s) => ({ ...s, live: false, from: Math.round(a), to: Math.round(Math.min(b, now)) }), { push: true });
  const onUp = (e: PointerEvent) => {
    if (!drag) return;
    const b = toPx(e);
    setDrag(undefined);
    if (Math.abs(b - drag.a) > 4) setRange(tOf(Math.min(drag.a, b)), tOf(Math.max(drag.a, b)));
    else {
      const len = to - from;
      const mid = tOf(b);
      const end = Math.min(now, mid + len / 2);
      setRange(end - len, end);
    }
  };
  const shift = (dir: -1 | 1) => {
    const len = to - from;
    const end = Math.min(now, to + dir * len);
    if (dir === 1 && end >= now - 1000)
      setState((s) => ({ ...s, live: true, windowMin: Math.round(len / 60_000) }), { push: true });
    else setRange(end - len, end);
  };
  const points = timeline?.points ?? [];
  const max = Math.max(1, ...points.map((p) => p.bytes));
  const bw = timeline ? Math.max(1, (timeline.step / (now - spanFrom)) * W) : 1;
  const earliest = timeline?.earliest ?? undefined;
  return (
    <footer className="timeline" data-testid="timeline">
      <div className="timeline-controls">
        <button
          type="button"
          className={state.live ? 'live on' : 'live'}
          data-testid="live-toggle"
          onClick={() =>
            setState(
              (s) => ({
                ...s,
                live: true,
                windowMin: s.live ? s.windowMin : Math.max(1, Math.round(((s.to ?? 0) - (s.from ?? 0)) / 60_000)),
              }),
              { push: true },
            )
          }
          title="Follow the latest traffic"
        >
          <span className="dot" /> Live
        </button>
        <select
          aria-label="Range length"
          data-testid="window-select"
          value={String(Math.round((to - from) / 60_000))}
          onChange={(e) => {
            const min = Number(e.target.value);
            setState((s) => (s.live ? { ...s, windowMin: min } : { ...s, from: (s.to ?? now) - min * 60_000 }), {
              push: true,
            });
          }}
        >
          {[...new Set([...WINDOWS, Math.round((to - from) / 60_000)])]
            .sort((a, b) => a - b)
            .map((m) => (
              <option key={m} value={m}>
                last {formatDuration(m * 60_000)}
              </option>
            ))}
        </select>
        <button
          type="button"
          className="icon"
          onClick={() => shift(-1)}
          title="Previous range"
          aria-label="Previous range"
        >
          ◀
        </button>
        <button
          type="button"
          className="icon"
          onClick={() => shift(1)}
          title="Next range"
          aria-label="Next range"
          disabled={state.live}
        >
          ▶
        </button>
        <span className="range-text" data-testid="range-text">
          {formatClock(from, to - from > 20 * 3600_000 || !state.live)} – {formatClock(to)} ·{' '}
          {formatDuration(to - from)}
        </span>
      </div>
      <svg
        ref={svg}
        className="scrubber"
        viewBox={`0 0 ${W} ${H}`}
        preserveAspectRatio="none"
        data-testid="scrubber"
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          const a = toPx(e);
          setDrag({ a, b: a });
        }}
        onPointerMove={(e) => drag && setDrag({ a: drag.a, b: toPx(e) })}
        onPointerUp={onUp}
      >
        <title>History: drag to pick a range, click to move the range there</title>
        {earliest !== undefined && earliest > spanFrom && (
          <rect x={0} y={0} width={x(earliest)} height={H} className="no-data" />
        )}
        {points.map((p) => (
          <rect
            key={p.t}
            x={x(p.t)}
            y={H - (p.bytes / max) * (H - 4)}
            width={bw}
            height={(p.bytes / max) * (H - 4)}
            className="bar"
          >
            <title>{`${formatClock(p.t, true)}: ${formatBytes(p.bytes)}, ${p.connections} connections`}</title>
          </rect>
        ))}
        <rect
          x={x(from)}
          y={0}
          width={Math.max(2, x(to) - x(from))}
          height={H}
          className="selection"
          data-testid="scrubber-selection"
        />
        {drag && (
          <rect x={Math.min(drag.a, drag.b)} y={0} width={Math.abs(drag.b - drag.a)} height={H} className="brush" />
        )}
      </svg>
      <div className="scrubber-axis">
        <span>{formatClock(spanFrom, span > 1440)}</span>
        <span className="muted">
          history: {formatDuration(span * 60_000)}
          {earliest !== undefined ? ` · data since ${formatClock(earliest, true)}` : ' · no data stored yet'}
        </span>
        <span>now</span>
      </div>
    </footer>
  );
}
