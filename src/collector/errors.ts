/** a listener that cannot be opened (address in use, address not available, permission) */
export class ListenError extends Error {
  override readonly name = 'ListenError';
  constructor(
    message: string,
    readonly context: { readonly transport: 'udp' | 'tcp'; readonly address: string; readonly port: number },
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
