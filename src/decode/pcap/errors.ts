/**
 * Errors of the capture reader. Only a file that cannot be read at all throws; damage later in the file ends the
 * read early and is reported as `CaptureStats.truncated` with the same offset information.
 * @module
 */

export type CaptureErrorCode = 'not-a-capture' | 'truncated' | 'bad-block';

/** a capture file whose bytes cannot be read; `offset` is the byte offset in the file where reading failed */
export class CaptureError extends RangeError {
  override readonly name = 'CaptureError';
  constructor(
    readonly code: CaptureErrorCode,
    message: string,
    readonly context: { readonly offset: number },
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
