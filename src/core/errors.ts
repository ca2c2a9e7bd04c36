/**
 * Error classes shared by every layer. Messages follow one grammar: sentence case, no trailing period,
 * values in quotes, the action that failed first ("Cannot decode IPFIX set 256 from exporter "10.0.0.7": ...").
 * @module
 */

export type DecodeErrorCode = 'truncated' | 'unknown-version' | 'bad-length' | 'bad-template';

/** export packet bytes that cannot be decoded; caught, counted and skipped by the collector */
export class DecodeError extends RangeError {
  override readonly name = 'DecodeError';
  constructor(
    readonly code: DecodeErrorCode,
    message: string,
    readonly context: { readonly exporter: string; readonly templateId?: number; readonly offset?: number },
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** configuration or input files that cannot be used; the message names the field or file */
export class ConfigError extends TypeError {
  override readonly name = 'ConfigError';
}

/** sink errors that retrying cannot fix */
export class PermanentError extends Error {
  override readonly name = 'PermanentError';
}

/** expected, frequent conditions are not errors: they are named drop counters */
export type DropReason =
  | 'queue-full'
  | 'decode-error'
  | 'template-missing'
  | 'template-limit'
  | 'truncated'
  | 'unknown-version'
  | 'exporter-not-allowed'
  | 'no-metadata'
  | 'duplicate'
  | 'cardinality-cap'
  | 'sink-permanent';
