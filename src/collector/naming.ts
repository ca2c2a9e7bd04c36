/** "udp://[::]:2055" */
export function listenerName(transport: 'udp' | 'tcp', address: string, port: number): string {
  return `${transport}://${address.includes(':') ? `[${address}]` : address}:${port}`;
}

/** an exporter's key as the template scope and FlowRecord.exporter see it; IPv4-mapped IPv6 becomes IPv4 */
export function exporterKey(address: string, port: number, withPort: boolean): string {
  const addr = address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
  if (!withPort) return addr;
  return addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`;
}
