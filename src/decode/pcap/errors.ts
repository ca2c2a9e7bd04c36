/**
 * Errors of the capture reader. Only a file that cannot be read at all throws; damage later in the file ends the
 * read early and is reported as `CaptureStats.truncated` with the same offset information.
 * @module
 */

export type CaptureErrorCode = 'not-a-capture' | 'truncated' | 'bad-block';

/**
 * A capture file whose bytes cannot be read. Message: "Cannot read capture at offset <offset>: <reason>"; callers
 * that know the file name can rebuild it from `reason` and `context.offset`.
 */
export class CaptureError extends RangeError {
  override readonly name = 'CaptureError';
  constructor(
    readonly code: CaptureErrorCode,
    readonly reason: string,
    readonly context: { readonly offset: number },
    options?: ErrorOptions,
  ) {
    super(`Cannot read capture at offset ${context.offset}: ${reason}`, options);
  }
}
