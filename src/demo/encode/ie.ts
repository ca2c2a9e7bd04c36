/**
 * Information element ids used by the encoders (IANA IPFIX registry; NetFlow v9 shares ids 1-127).
 * @module
 */

export const IE = {
  octetDeltaCount: 1,
  packetDeltaCount: 2,
  protocolIdentifier: 4,
  ipClassOfService: 5,
  tcpControlBits: 6,
  sourceTransportPort: 7,
  sourceIPv4Address: 8,
  ingressInterface: 10,
  destinationTransportPort: 11,
  destinationIPv4Address: 12,
  egressInterface: 14,
  ipNextHopIPv4Address: 15,
  flowEndSysUpTime: 21,
  flowStartSysUpTime: 22,
  sourceIPv6Address: 27,
  destinationIPv6Address: 28,
  icmpTypeCodeIPv4: 32,
  samplingInterval: 34,
  samplingAlgorithm: 35,
  ipNextHopIPv6Address: 62,
  icmpTypeCodeIPv6: 139,
  flowEndReason: 136,
  observationDomainId: 149,
  flowStartMilliseconds: 152,
  flowEndMilliseconds: 153,
  biflowDirection: 239,
  selectorAlgorithm: 304,
  samplingPacketInterval: 305,
  samplingPacketSpace: 306,
} as const;

/** RFC 5103: reverse information elements are the forward ids under this private enterprise number */
export const REVERSE_PEN = 29305;

/** NetFlow v9 options scope types (RFC 3954 §6.1) */
export const V9_SCOPE = { system: 1, interface: 2, lineCard: 3, cache: 4, template: 5 } as const;

/** one field of a template: element id, length in bytes, enterprise number for private elements */
export interface TemplateField {
  readonly id: number;
  readonly length: number;
  readonly enterprise?: number;
}
