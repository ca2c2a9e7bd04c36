/**
 * The verbose fields of one sFlow flow sample, as `flowmap decode` prints them. IANA IPFIX names where one exists;
 * the sFlow-only values use these names:
 * - datagram: `agentAddress`, `sequenceNumber` (datagram sequence), `agentUptime` (ms since the agent booted)
 * - sample: `sampleSequenceNumber`, `sourceIdType`, `sourceIdIndex`, `samplePool`, `drops`,
 *   `ingressInterfaceFormat` / `egressInterfaceFormat` (only when not 0: 1 = discarded, value is the reason;
 *   2 = several interfaces, value is their count)
 * - raw header record: `headerProtocol` (1 Ethernet, 11 IPv4, 12 IPv6), `strippedOctets`
 * - extended switch: `vlanId`/`postVlanId` (source/destination VLAN), `dot1qPriority`/`postDot1qPriority`
 * - extended gateway: `bgpPeerAsNumber` (the source peer AS)
 * - a VXLAN/Geneve packet (the IP fields then describe the inner packet): `tunnelType` ("vxlan" or "geneve"),
 *   `tunnelSourceAddress`/`tunnelDestinationAddress` (the outer, node addresses), `tunnelNetworkId` (the VNI)
 * IANA: samplingPacketInterval (sampling rate 1-in-N), ingressInterface, egressInterface, octetDeltaCount (frame
 * length), packetDeltaCount (1), dataLinkFrameSize, dataLinkFrameSection (the sampled header, hex),
 * sourceMacAddress, destinationMacAddress, ethernetType, dot1qVlanId, dot1qCustomerVlanId, ipVersion,
 * source/destinationIPv4Address, source/destinationIPv6Address, protocolIdentifier, ipClassOfService, ipTTL,
 * ipTotalLength, fragmentIdentification, flowLabelIPv6, source/destinationTransportPort, tcpControlBits,
 * icmpTypeIPv4/icmpCodeIPv4, icmpTypeIPv6/icmpCodeIPv6, ipNextHopIPv4/IPv6Address, source/destination
 * IPv4/IPv6PrefixLength, bgpNextHopIPv4/IPv6Address, bgpSourceAsNumber, bgpDestinationAsNumber,
 * bgpNextAdjacentAsNumber.
 * @module
 */
import type { IpAddress } from '../../core/flow.js';
import { formatIp } from '../../core/ip.js';
import type { FlowSample } from './flow-sample.js';

export interface DatagramHeader {
  readonly agent: IpAddress;
  readonly subAgentId: number;
  readonly sequence: number;
  readonly uptime: number;
}

function mac(bytes: Uint8Array, at: number): string {
  let text = '';
  for (let i = 0; i < 6; i++) text += (i ? ':' : '') + bytes[at + i]!.toString(16).padStart(2, '0');
  return text;
}

function hex(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += b.toString(16).padStart(2, '0');
  return text;
}

const isV6 = (ip: IpAddress) => typeof ip === 'string';

/** every known field of `sample`; `datagram` bytes hold the MACs of a sampled Ethernet record */
export function sampleFields(
  header: DatagramHeader,
  sample: FlowSample,
  datagram: Uint8Array,
): Record<string, unknown> {
  const f: Record<string, unknown> = {
    agentAddress: formatIp(header.agent),
    sequenceNumber: header.sequence,
    agentUptime: header.uptime,
    sampleSequenceNumber: sample.sequence,
    sourceIdType: sample.sourceIdType,
    sourceIdIndex: sample.sourceIdIndex,
    samplingPacketInterval: sample.samplingRate,
    samplePool: sample.samplePool,
    drops: sample.drops,
    ingressInterface: sample.input,
    egressInterface: sample.output,
  };
  if (sample.inputFormat) f.ingressInterfaceFormat = sample.inputFormat;
  if (sample.outputFormat) f.egressInterfaceFormat = sample.outputFormat;
  f.packetDeltaCount = 1;
  addHeaderFields(f, sample);
  addSampledFields(f, sample, datagram);
  addExtendedFields(f, sample);
  return f;
}

function addHeaderFields(f: Record<string, unknown>, sample: FlowSample): void {
  if (sample.headerProtocol < 0) return;
  const p = sample.packet;
  f.octetDeltaCount = sample.frameLength;
  f.headerProtocol = sample.headerProtocol;
  f.dataLinkFrameSize = sample.frameLength;
  f.strippedOctets = sample.stripped;
  if (p.frame) f.dataLinkFrameSection = hex(p.frame);
  if (p.macAt >= 0 && p.frame) {
    f.destinationMacAddress = mac(p.frame, p.macAt);
    f.sourceMacAddress = mac(p.frame, p.macAt + 6);
  }
  if (p.etherType >= 0) f.ethernetType = p.etherType;
  if (p.vlan >= 0) f.dot1qVlanId = p.vlan;
  if (p.innerVlan >= 0) f.dot1qCustomerVlanId = p.innerVlan;
  if (p.tunnelType !== 0) {
    f.tunnelType = p.tunnelType === 1 ? 'vxlan' : 'geneve';
    f.tunnelSourceAddress = formatIp(p.tunnelSrcAddr);
    f.tunnelDestinationAddress = formatIp(p.tunnelDstAddr);
    f.tunnelNetworkId = p.vni;
  }
  if (p.ipVersion === 0) return;
  f.ipVersion = p.ipVersion;
  const v6 = p.ipVersion === 6;
  f[v6 ? 'sourceIPv6Address' : 'sourceIPv4Address'] = formatIp(p.srcAddr);
  f[v6 ? 'destinationIPv6Address' : 'destinationIPv4Address'] = formatIp(p.dstAddr);
  f.protocolIdentifier = p.protocol;
  f.ipClassOfService = p.tos;
  f.ipTTL = p.ttl;
  f.ipTotalLength = p.ipLength;
  if (p.fragmentId >= 0) f.fragmentIdentification = p.fragmentId;
  if (p.flowLabel >= 0) f.flowLabelIPv6 = p.flowLabel;
  if (p.protocol === 6 || p.protocol === 17 || p.protocol === 132) {
    f.sourceTransportPort = p.srcPort;
    f.destinationTransportPort = p.dstPort;
  }
  if (p.protocol === 6) f.tcpControlBits = p.tcpFlags;
  if (p.icmpType >= 0) {
    f[v6 ? 'icmpTypeIPv6' : 'icmpTypeIPv4'] = p.icmpType;
    f[v6 ? 'icmpCodeIPv6' : 'icmpCodeIPv4'] = p.icmpCode;
  }
}

/** sampled Ethernet/IPv4/IPv6 records: only what the raw header did not already give */
function addSampledFields(f: Record<string, unknown>, sample: FlowSample, datagram: Uint8Array): void {
  const e = sample.ethernet;
  if (e) {
    f.dataLinkFrameSize ??= e.length;
    f.octetDeltaCount ??= e.length;
    f.sourceMacAddress ??= mac(datagram, e.srcMacAt);
    f.destinationMacAddress ??= mac(datagram, e.dstMacAt);
    f.ethernetType ??= e.type;
  }
  const ip = sample.sampledIp;
  if (!ip || sample.packet.ipVersion !== 0) return;
  const v6 = ip.version === 6;
  f.octetDeltaCount = ip.length;
  f.ipVersion = ip.version;
  f[v6 ? 'sourceIPv6Address' : 'sourceIPv4Address'] = formatIp(ip.srcAddr);
  f[v6 ? 'destinationIPv6Address' : 'destinationIPv4Address'] = formatIp(ip.dstAddr);
  f.protocolIdentifier = ip.protocol;
  f.ipClassOfService = ip.tos;
  f.sourceTransportPort = ip.srcPort;
  f.destinationTransportPort = ip.dstPort;
  f.tcpControlBits = ip.tcpFlags;
}

function addExtendedFields(f: Record<string, unknown>, sample: FlowSample): void {
  const sw = sample.switch;
  if (sw) {
    f.vlanId = sw.srcVlan;
    f.dot1qPriority = sw.srcPriority;
    f.postVlanId = sw.dstVlan;
    f.postDot1qPriority = sw.dstPriority;
  }
  const r = sample.router;
  if (r) {
    const v6 = isV6(r.nextHop);
    f[v6 ? 'ipNextHopIPv6Address' : 'ipNextHopIPv4Address'] = formatIp(r.nextHop);
    const v6Masks = f.ipVersion === 6 || (f.ipVersion === undefined && v6);
    f[v6Masks ? 'sourceIPv6PrefixLength' : 'sourceIPv4PrefixLength'] = r.srcMask;
    f[v6Masks ? 'destinationIPv6PrefixLength' : 'destinationIPv4PrefixLength'] = r.dstMask;
  }
  const g = sample.gateway;
  if (g) {
    f[isV6(g.nextHop) ? 'bgpNextHopIPv6Address' : 'bgpNextHopIPv4Address'] = formatIp(g.nextHop);
    f.bgpSourceAsNumber = g.srcAs;
    f.bgpDestinationAsNumber = g.dstAs;
    f.bgpNextAdjacentAsNumber = g.nextAs;
    f.bgpPeerAsNumber = g.srcPeerAs;
  }
}
