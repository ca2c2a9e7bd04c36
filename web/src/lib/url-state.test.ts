import { describe, expect, it } from 'vitest';
import {
  clearFilters,
  DEFAULT_STATE,
  hasFilters,
  parseViewState,
  patchState,
  resolveRange,
  serializeViewState,
  type ViewState,
} from './url-state.js';

describe('view state in the URL', () => {
  it('serializes the default state to an empty query', () => {
    expect(serializeViewState(DEFAULT_STATE)).toBe('');
    expect(parseViewState('')).toEqual(DEFAULT_STATE);
  });

  it('round-trips every field', () => {
    const s: ViewState = {
      view: 'matrix',
      level: 'pod',
      live: false,
      windowMin: 60,
      refreshSec: 2,
      from: 1_700_000_000_000,
      to: 1_700_000_900_000,
      namespaces: ['shop', 'data'],
      workloads: ['frontend'],
      ports: [443, 5432],
      protocols: ['TCP', 'UDP'],
      external: false,
      nodes: false,
      minRate: 1000,
      collapsed: ['namespace:kube-system', 'external'],
      focus: 'workload:shop/Deployment/frontend',
      selected: 'workload:shop/Deployment/frontend->workload:shop/Deployment/cart',
      matrixNs: 'shop',
    };
    const query = serializeViewState(s);
    expect(parseViewState(`?${query}`)).toEqual(s);
    expect(query).toContain('ns=shop,data');
    expect(query).toContain('focus=workload:shop/Deployment/frontend');
  });

  it('falls back to defaults for unreadable values and stays live without a valid range', () => {
    const s = parseViewState('?view=bogus&level=galaxy&win=-3&port=80,99999,x&from=10&to=5&min=abc');
    expect(s.view).toBe('map');
    expect(s.level).toBe('workload');
    expect(s.windowMin).toBe(15);
    expect(s.ports).toEqual([80]);
    expect(s.live).toBe(true);
    expect(s.from).toBeUndefined();
    expect(s.minRate).toBe(0);
  });

  it('resolves the live range from now and the fixed range as given', () => {
    expect(resolveRange({ ...DEFAULT_STATE, windowMin: 5 }, 1_000_000)).toEqual({ from: 700_000, to: 1_000_000 });
    expect(resolveRange({ ...DEFAULT_STATE, live: false, from: 1, to: 2 }, 1_000_000)).toEqual({ from: 1, to: 2 });
  });

  it('knows when filters are set and clears only filters', () => {
    const s = { ...DEFAULT_STATE, level: 'pod' as const, ports: [53], external: false };
    expect(hasFilters(s)).toBe(true);
    const cleared = clearFilters(s);
    expect(hasFilters(cleared)).toBe(false);
    expect(cleared.level).toBe('pod');
  });

  it('patchState deletes keys set to undefined', () => {
    const s = patchState({ ...DEFAULT_STATE, focus: 'a', selected: 'b' }, { focus: undefined, selected: 'c' });
    expect('focus' in s).toBe(false);
    expect(s.selected).toBe('c');
  });
});
