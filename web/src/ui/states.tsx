/**
 * Loading, error and empty states shared by the views.
 */
import type { StatusResponse } from '../../../src/contract/responses.js';
import { ApiError } from '../lib/index.js';

export function Loading({ inline = false }: { readonly inline?: boolean }) {
  return (
    <span className={inline ? 'loading inline' : 'loading'} data-testid="loading" role="status">
      <span className="spinner" /> Loading…
    </span>
  );
}

export function ErrorBanner({ error, onRetry }: { readonly error: Error; readonly onRetry?: () => void }) {
  const status = error instanceof ApiError ? error.status : undefined;
  return (
    <div className="error-banner" role="alert" data-testid="error-banner">
      <strong>
        {status === 400
          ? 'The server rejected this view'
          : status
            ? `Server error ${status}`
            : 'Cannot reach the server'}
      </strong>
      <span data-testid="error-message">{error.message}</span>
      {onRetry && (
        <button type="button" className="secondary" onClick={onRetry}>
          Reset view
        </button>
      )}
    </div>
  );
}

export type EmptyReason = 'no-data' | 'filtered' | 'quiet-range';

export function EmptyState(props: {
  readonly reason: EmptyReason;
  readonly status: StatusResponse | undefined;
  readonly onClearFilters: () => void;
  readonly onGoLive: () => void;
}) {
  if (props.reason === 'filtered') {
    return (
      <div className="empty-state" data-testid="empty-state">
        <h2>No flows match these filters</h2>
        <p>There is traffic in this time range, but none passes the current filters.</p>
        <button type="button" onClick={props.onClearFilters}>
          Clear filters
        </button>
      </div>
    );
  }
  if (props.reason === 'quiet-range') {
    return (
      <div className="empty-state" data-testid="empty-state">
        <h2>No traffic in this time range</h2>
        <p>Pick a busier range on the time bar below, or follow the latest traffic.</p>
        <button type="button" onClick={props.onGoLive}>
          Go live
        </button>
      </div>
    );
  }
  const exporters = props.status?.exporters.length ?? 0;
  return (
    <div className="empty-state" data-testid="empty-state">
      <h2>No flows yet</h2>
      <p>
        Point exporters at this collector: <b>NetFlow v5/v9</b> to UDP <code>2055</code>, <b>IPFIX</b> to UDP{' '}
        <code>4739</code>, <b>sFlow</b> to UDP <code>6343</code> (the defaults; see <code>collector</code> in the
        configuration).
      </p>
      <p className="muted">
        {exporters === 0
          ? 'No exporter has sent anything yet.'
          : `${exporters} exporter(s) sent records, but none produced an edge yet: give it a minute.`}
        {props.status?.kubernetes.source === 'none' && ' Kubernetes metadata is off, so workloads will show as IPs.'}
      </p>
    </div>
  );
}
