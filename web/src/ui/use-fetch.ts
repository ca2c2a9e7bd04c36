/**
 * Loads data for a key, keeps the last good answer while reloading (no flicker), optionally polls.
 * A new key aborts the request in flight; an error is kept until the next success.
 * @module
 */
import { useEffect, useRef, useState } from 'react';

export interface FetchState<T> {
  readonly data: T | undefined;
  readonly error: Error | undefined;
  readonly loading: boolean;
  /** when the last answer arrived (browser time) */
  readonly updatedAt: number | undefined;
  /** the key the data belongs to */
  readonly key: string | undefined;
}

/** `key` undefined means "nothing to load"; `load` may change every render (the latest one is used) */
export function useFetch<T>(
  key: string | undefined,
  load: (signal: AbortSignal) => Promise<T>,
  refreshMs?: number,
): FetchState<T> {
  const [state, setState] = useState<FetchState<T>>({
    data: undefined,
    error: undefined,
    loading: key !== undefined,
    updatedAt: undefined,
    key: undefined,
  });
  const loader = useRef(load);
  loader.current = load;
  useEffect(() => {
    if (key === undefined) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      setState((s) => ({ ...s, loading: true }));
      try {
        const data = await loader.current(controller.signal);
        if (controller.signal.aborted) return;
        setState({ data, error: undefined, loading: false, updatedAt: Date.now(), key });
      } catch (error) {
        if (controller.signal.aborted) return;
        setState((s) => ({ ...s, error: error as Error, loading: false }));
      }
      if (refreshMs && !controller.signal.aborted) timer = setTimeout(run, refreshMs);
    };
    void run();
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [key, refreshMs]);
  return state;
}
