/**
 * The view state, kept in the URL: every change rewrites the query string (replaceState, so the back button is
 * not flooded by live refreshes), and back/forward restore the state they land on.
 * @module
 */
import { useCallback, useEffect, useState } from 'react';
import { parseViewState, serializeViewState, type ViewState } from '../lib/index.js';

export type SetViewState = (update: (s: ViewState) => ViewState, options?: { push?: boolean }) => void;

export function useViewState(): [ViewState, SetViewState] {
  const [state, setState] = useState(() => parseViewState(window.location.search));
  useEffect(() => {
    const onPop = () => setState(parseViewState(window.location.search));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const update = useCallback<SetViewState>((fn, options) => {
    setState((prev) => {
      const next = fn(prev);
      const query = serializeViewState(next);
      const url = `${window.location.pathname}${query ? `?${query}` : ''}${window.location.hash}`;
      if (url !== `${window.location.pathname}${window.location.search}${window.location.hash}`) {
        if (options?.push) window.history.pushState(null, '', url);
        else window.history.replaceState(null, '', url);
      }
      return next;
    });
  }, []);
  return [state, update];
}
