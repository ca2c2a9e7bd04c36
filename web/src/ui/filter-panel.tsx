/**
 * The left column: grouping level, islands (collapse/expand), and the server-side filters.
 * Text fields apply on Enter or when they lose focus.
 */
import { useEffect, useState } from 'react';
import type { GroupLevel } from '../../../src/core/edge.js';
import { clearFilters, formatByteRate, hasFilters, type Island, type ViewState } from '../lib/index.js';
import type { SetViewState } from './use-view-state.js';

const PROTOCOLS = ['TCP', 'UDP', 'ICMP', 'SCTP'] as const;
const MIN_RATES = [0, 100, 1_000, 10_000, 100_000, 1_000_000] as const;
const LEVELS: readonly [GroupLevel, string][] = [
  ['namespace', 'Namespace'],
  ['workload', 'Workload'],
  ['pod', 'Pod'],
];

function TextFilter(props: {
  label: string;
  value: string;
  placeholder: string;
  testId: string;
  onApply: (v: string) => void;
}) {
  const [text, setText] = useState(props.value);
  useEffect(() => setText(props.value), [props.value]);
  return (
    <label className="field">
      <span>{props.label}</span>
      <input
        type="text"
        value={text}
        placeholder={props.placeholder}
        data-testid={props.testId}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && props.onApply(text)}
        onBlur={() => text !== props.value && props.onApply(text)}
      />
    </label>
  );
}

const splitList = (v: string) =>
  v
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);

export interface FilterPanelProps {
  readonly state: ViewState;
  readonly setState: SetViewState;
  readonly namespaces: readonly string[];
  readonly islands: readonly Island[];
}

export function FilterPanel({ state, setState, namespaces, islands }: FilterPanelProps) {
  const toggleNs = (ns: string) =>
    setState((s) => ({
      ...s,
      namespaces: s.namespaces.includes(ns) ? s.namespaces.filter((x) => x !== ns) : [...s.namespaces, ns],
    }));
  const toggleGroup = (group: string) =>
    setState((s) => ({
      ...s,
      collapsed: s.collapsed.includes(group) ? s.collapsed.filter((g) => g !== group) : [...s.collapsed, group],
    }));
  return (
    <nav className="filter-panel" data-testid="filter-panel">
      <section>
        <h4>Group by</h4>
        <div className="segmented">
          {LEVELS.map(([level, label]) => (
            <button
              key={level}
              type="button"
              aria-pressed={state.level === level}
              className={state.level === level ? 'on' : ''}
              data-testid={`level-${level}`}
              onClick={() => setState((s) => ({ ...s, level }), { push: true })}
            >
              {label}
            </button>
          ))}
        </div>
      </section>
      {islands.length > 0 && (
        <section>
          <h4>
            Islands
            <span className="head-actions">
              <button
                type="button"
                className="link"
                onClick={() => setState((s) => ({ ...s, collapsed: islands.map((i) => i.group) }))}
              >
                collapse all
              </button>
              <button type="button" className="link" onClick={() => setState((s) => ({ ...s, collapsed: [] }))}>
                expand all
              </button>
            </span>
          </h4>
          <ul className="island-list" data-testid="island-list">
            {islands.map((i) => (
              <li key={i.group}>
                <button
                  type="button"
                  className="link"
                  data-testid={`island-toggle-${i.group}`}
                  onClick={() => toggleGroup(i.group)}
                  title={i.collapsed ? 'Expand' : 'Collapse'}
                >
                  {i.collapsed ? '▸' : '▾'} {i.label}
                </button>
                <span className="muted">{i.members.length}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section>
        <h4>
          Namespaces{' '}
          {state.namespaces.length > 0 && (
            <span className="muted">
              ({state.namespaces.length} of {namespaces.length})
            </span>
          )}
        </h4>
        <ul className="check-list" data-testid="namespace-filter">
          {namespaces.map((ns) => (
            <li key={ns}>
              <label>
                <input type="checkbox" checked={state.namespaces.includes(ns)} onChange={() => toggleNs(ns)} /> {ns}
              </label>
            </li>
          ))}
          {namespaces.length === 0 && <li className="muted small">none seen yet</li>}
        </ul>
      </section>
      <section>
        <h4>Filters</h4>
        <TextFilter
          label="Workload"
          value={state.workloads.join(', ')}
          placeholder="frontend, cart"
          testId="filter-workload"
          onApply={(v) => setState((s) => ({ ...s, workloads: splitList(v) }))}
        />
        <TextFilter
          label="Port"
          value={state.ports.join(', ')}
          placeholder="443, 5432"
          testId="filter-port"
          onApply={(v) =>
            setState((s) => ({
              ...s,
              ports: splitList(v)
                .map(Number)
                .filter((n) => Number.isInteger(n) && n >= 0 && n <= 65535),
            }))
          }
        />
        <div className="field">
          <span>Protocol</span>
          <div className="chips">
            {PROTOCOLS.map((p) => (
              <label key={p} className="chip">
                <input
                  type="checkbox"
                  data-testid={`proto-${p}`}
                  checked={state.protocols.includes(p)}
                  onChange={() =>
                    setState((s) => ({
                      ...s,
                      protocols: s.protocols.includes(p) ? s.protocols.filter((x) => x !== p) : [...s.protocols, p],
                    }))
                  }
                />
                {p}
              </label>
            ))}
          </div>
        </div>
        <label className="toggle">
          <input
            type="checkbox"
            data-testid="show-external"
            checked={state.external}
            onChange={(e) => setState((s) => ({ ...s, external: e.target.checked }))}
          />
          External endpoints
        </label>
        <label className="toggle">
          <input
            type="checkbox"
            data-testid="show-nodes"
            checked={state.nodes}
            onChange={(e) => setState((s) => ({ ...s, nodes: e.target.checked }))}
          />
          Node traffic
        </label>
        <label className="field">
          <span>Minimum traffic</span>
          <select
            data-testid="filter-min"
            value={String(state.minRate)}
            onChange={(e) => setState((s) => ({ ...s, minRate: Number(e.target.value) }))}
          >
            {[...new Set([...MIN_RATES, state.minRate])]
              .sort((a, b) => a - b)
              .map((r) => (
                <option key={r} value={r}>
                  {r === 0 ? 'any' : `≥ ${formatByteRate(r)}`}
                </option>
              ))}
          </select>
        </label>
        {hasFilters(state) && (
          <button
            type="button"
            className="secondary"
            data-testid="clear-filters"
            onClick={() => setState(clearFilters, { push: true })}
          >
            Clear filters
          </button>
        )}
      </section>
    </nav>
  );
}
