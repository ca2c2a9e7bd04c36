/**
 * The top bar: views, search, map tools and exports.
 */
import type { GraphNode } from '../../../src/contract/responses.js';
import type { ViewName, ViewState } from '../lib/index.js';
import { SearchBox } from './search-box.js';
import type { SetViewState } from './use-view-state.js';

export type ExportKind = 'png' | 'svg' | 'json' | 'text';

const VIEWS: readonly [ViewName, string][] = [
  ['map', 'Map'],
  ['matrix', 'Flow matrix'],
  ['externals', 'External endpoints'],
];

export interface ToolbarProps {
  readonly state: ViewState;
  readonly setState: SetViewState;
  readonly nodes: readonly GraphNode[];
  readonly onFocus: (id: string) => void;
  readonly onExport: (kind: ExportKind) => void;
  readonly onFit: () => void;
  readonly onRelayout: () => void;
  readonly loading: boolean;
}

export function Toolbar(p: ToolbarProps) {
  const map = p.state.view === 'map';
  return (
    <header className="toolbar">
      <div className="brand">
        <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
          <circle cx="5" cy="12" r="3" fill="#2563eb" />
          <circle cx="19" cy="5" r="3" fill="#0e7490" />
          <circle cx="19" cy="19" r="3" fill="#7c3aed" />
          <path d="M7.5 10.8 16.4 6.3M7.5 13.2l8.9 4.5" stroke="#334155" strokeWidth="1.6" fill="none" />
        </svg>
        flowmap
      </div>
      <nav className="tabs" aria-label="Views">
        {VIEWS.map(([view, label]) => (
          <button
            key={view}
            type="button"
            className={p.state.view === view ? 'on' : ''}
            data-testid={`tab-${view}`}
            onClick={() => p.setState((s) => ({ ...s, view }), { push: true })}
          >
            {label}
          </button>
        ))}
      </nav>
      {map && <SearchBox nodes={p.nodes} onPick={p.onFocus} />}
      <div className="spacer" />
      {p.loading && <span className="busy" data-testid="busy" title="Loading" />}
      {map && (
        <>
          <button type="button" className="secondary" onClick={p.onFit} title="Fit the map to the window">
            Fit
          </button>
          <button type="button" className="secondary" onClick={p.onRelayout} title="Lay the map out again from scratch">
            Re-layout
          </button>
        </>
      )}
      <details className="menu">
        <summary data-testid="export-menu">Export</summary>
        <div className="menu-items">
          {map && (
            <>
              <button type="button" data-testid="export-png" onClick={() => p.onExport('png')}>
                Map as PNG
              </button>
              <button type="button" data-testid="export-svg" onClick={() => p.onExport('svg')}>
                Map as SVG
              </button>
            </>
          )}
          <button type="button" data-testid="export-json" onClick={() => p.onExport('json')}>
            Visible edges as JSON
          </button>
          <button type="button" data-testid="export-text" onClick={() => p.onExport('text')}>
            Visible edges as text
          </button>
        </div>
      </details>
    </header>
  );
}

/** saves `data` as a file through a temporary link */
export function download(name: string, data: Blob | string, type: string): void {
  const blob = typeof data === 'string' ? new Blob([data], { type }) : data;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
