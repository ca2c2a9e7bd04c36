/**
 * Finds a node of the current graph by name, namespace or id and hands it to `onPick` (which focuses it).
 */
import { useMemo, useState } from 'react';
import type { GraphNode } from '../../../src/contract/responses.js';
import { badgeOf, displayName } from '../lib/index.js';

export function searchNodes(nodes: readonly GraphNode[], query: string, limit = 8): GraphNode[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const scored: [number, GraphNode][] = [];
  for (const n of nodes) {
    const name = displayName(n).toLowerCase();
    const full = `${n.namespace}/${name}`;
    const score =
      name === q ? 0 : name.startsWith(q) ? 1 : full.includes(q) ? 2 : n.id.toLowerCase().includes(q) ? 3 : -1;
    if (score >= 0) scored.push([score, n]);
  }
  return scored
    .sort((a, b) => a[0] - b[0] || displayName(a[1]).localeCompare(displayName(b[1])))
    .slice(0, limit)
    .map(([, n]) => n);
}

export function SearchBox({
  nodes,
  onPick,
}: {
  readonly nodes: readonly GraphNode[];
  readonly onPick: (id: string) => void;
}) {
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const hits = useMemo(() => searchNodes(nodes, query), [nodes, query]);
  const pick = (n: GraphNode | undefined) => {
    if (!n) return;
    onPick(n.id);
    setQuery(displayName(n));
    setOpen(false);
  };
  return (
    <div className="search">
      <input
        type="search"
        placeholder="Search workloads…  ( / )"
        aria-label="Search workloads"
        data-testid="search"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setOpen(true);
          setActive(0);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setActive((a) => Math.min(hits.length - 1, a + 1));
          else if (e.key === 'ArrowUp') setActive((a) => Math.max(0, a - 1));
          else if (e.key === 'Enter') pick(hits[active]);
          else if (e.key === 'Escape') setOpen(false);
        }}
      />
      {open && hits.length > 0 && (
        <ul className="search-hits" data-testid="search-hits">
          {hits.map((n, i) => (
            <li key={n.id}>
              <button
                type="button"
                className={i === active ? 'active' : ''}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => pick(n)}
              >
                <span className="badge small">{badgeOf(n)}</span> {displayName(n)}
                {n.namespace && <span className="muted"> · {n.namespace}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
