/**
 * Errors of the query side. src/api maps them to HTTP: QueryError → 400, SourceError → 502/503.
 * @module
 */

export type QueryErrorCode = 'bad-range' | 'bad-filter' | 'too-many-points' | 'unsupported';

/** a query that no data could answer as asked: bad range, unknown protocol, a level the source lacks */
export class QueryError extends RangeError {
  override readonly name = 'QueryError';
  constructor(
    readonly code: QueryErrorCode,
    message: string,
    /** the query parameter at fault, when one is */
    readonly param?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export type SourceErrorCode = 'not-started' | 'closed' | 'unavailable' | 'bad-answer';

/** the source could not answer now: store not open, upstream Prometheus unreachable or answering garbage */
export class SourceError extends Error {
  override readonly name = 'SourceError';
  constructor(
    readonly code: SourceErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
