/**
 * Template layouts: which fields a data template holds for a given record. The `ipt-netflow` layouts follow the
 * Linux ipt_NETFLOW module's base templates (ipv4/ipv6 block, then ports or ICMP, then the v9 or IPFIX base
 * counters), without its optional MAC/VLAN/MPLS blocks. `biflow` is an RFC 5103 IPFIX layout (YAF-like).
 * @module
 */
import { IE, REVERSE_PEN, type TemplateField } from './ie.js';
import { type ExportRecord, isIpv6Record } from './record.js';

/** chooses the data template for a record; `key` names the template so the encoder assigns it one id */
export interface DataLayout {
  readonly name: string;
  select(record: ExportRecord): { readonly key: string; readonly fields: readonly TemplateField[] };
}

const f = (id: number, length: number, enterprise?: number): TemplateField =>
  enterprise === undefined ? { id, length } : { id, length, enterprise };

const IPV4 = [f(IE.sourceIPv4Address, 4), f(IE.destinationIPv4Address, 4), f(IE.ipNextHopIPv4Address, 4)];
const IPV6 = [f(IE.sourceIPv6Address, 16), f(IE.destinationIPv6Address, 16), f(IE.ipNextHopIPv6Address, 16)];
const PORTS = [f(IE.sourceTransportPort, 2), f(IE.destinationTransportPort, 2), f(IE.tcpControlBits, 1)];
/** ipt_NETFLOW v9 puts ICMP type/code in the port fields (dst port = type << 8 | code) */
const ICMP_V9 = [f(IE.sourceTransportPort, 2), f(IE.destinationTransportPort, 2)];
const BASE_V9 = [
  f(IE.ingressInterface, 2),
  f(IE.egressInterface, 2),
  f(IE.packetDeltaCount, 4),
  f(IE.octetDeltaCount, 4),
  f(IE.flowStartSysUpTime, 4),
  f(IE.flowEndSysUpTime, 4),
  f(IE.protocolIdentifier, 1),
  f(IE.ipClassOfService, 1),
];
const BASE_IPFIX = [
  f(IE.ingressInterface, 2),
  f(IE.egressInterface, 2),
  f(IE.packetDeltaCount, 4),
  f(IE.octetDeltaCount, 4),
  f(IE.flowStartMilliseconds, 8),
  f(IE.flowEndMilliseconds, 8),
  f(IE.protocolIdentifier, 1),
  f(IE.ipClassOfService, 1),
  f(IE.flowEndReason, 1),
];

const PORT_PROTOCOLS = new Set([6, 17, 132, 136]);
const ICMP_PROTOCOLS = new Set([1, 58]);

function iptLayout(version: 9 | 10): DataLayout {
  const cache = new Map<string, readonly TemplateField[]>();
  return {
    name: version === 9 ? 'ipt-netflow-v9' : 'ipt-netflow-ipfix',
    select(record) {
      const v6 = isIpv6Record(record);
      const l4 = PORT_PROTOCOLS.has(record.ipProtocol) ? 'ports' : ICMP_PROTOCOLS.has(record.ipProtocol) ? 'icmp' : '';
      const key = `${v6 ? 'ip6' : 'ip4'}-${l4}`;
      let fields = cache.get(key);
      if (!fields) {
        const l4Fields =
          l4 === 'ports'
            ? PORTS
            : l4 === 'icmp'
              ? version === 9
                ? ICMP_V9
                : [f(v6 ? IE.icmpTypeCodeIPv6 : IE.icmpTypeCodeIPv4, 2)]
              : [];
        fields = [...(v6 ? IPV6 : IPV4), ...l4Fields, ...(version === 9 ? BASE_V9 : BASE_IPFIX)];
        cache.set(key, fields);
      }
      return { key, fields };
    },
  };
}

/** ipt_NETFLOW's NetFlow v9 data templates (protocol=9) */
export const IPT_NETFLOW_V9: DataLayout = iptLayout(9);
/** ipt_NETFLOW's IPFIX data templates (protocol=10) */
export const IPT_NETFLOW_IPFIX: DataLayout = iptLayout(10);

/** an RFC 5103 biflow layout: forward and reverse counters in one record, PEN 29305 for the reverse ones */
export const IPFIX_BIFLOW: DataLayout = (() => {
  const tail = [
    f(IE.sourceTransportPort, 2),
    f(IE.destinationTransportPort, 2),
    f(IE.protocolIdentifier, 1),
    f(IE.tcpControlBits, 1),
    f(IE.octetDeltaCount, 8),
    f(IE.packetDeltaCount, 8),
    f(IE.octetDeltaCount, 8, REVERSE_PEN),
    f(IE.packetDeltaCount, 8, REVERSE_PEN),
    f(IE.tcpControlBits, 1, REVERSE_PEN),
    f(IE.biflowDirection, 1),
    f(IE.flowEndReason, 1),
  ];
  const times = [f(IE.flowStartMilliseconds, 8), f(IE.flowEndMilliseconds, 8)];
  const v4 = [...times, f(IE.sourceIPv4Address, 4), f(IE.destinationIPv4Address, 4), ...tail];
  const v6 = [...times, f(IE.sourceIPv6Address, 16), f(IE.destinationIPv6Address, 16), ...tail];
  return {
    name: 'ipfix-biflow',
    select: (record) => (isIpv6Record(record) ? { key: 'bi6', fields: v6 } : { key: 'bi4', fields: v4 }),
  };
})();

/** an options template announcing the sampling rate: scope fields, option fields and the values of both */
export interface OptionsLayout {
  readonly scope: readonly TemplateField[];
  readonly fields: readonly TemplateField[];
  /** element id -> value, for scope and option fields */
  values(domainId: number): ReadonlyMap<number, number>;
}

/** NetFlow v9: scope System, samplingInterval (34) and samplingAlgorithm (35; 1 deterministic, 2 random) */
export function v9SamplingOptions(interval: number, algorithm: 1 | 2 = 2): OptionsLayout {
  return {
    scope: [f(1, 4)],
    fields: [f(IE.samplingInterval, 4), f(IE.samplingAlgorithm, 1)],
    values: (domainId) =>
      new Map([
        [1, domainId],
        [IE.samplingInterval, interval],
        [IE.samplingAlgorithm, algorithm],
      ]),
  };
}

/**
 * IPFIX (RFC 5477): scope observationDomainId, selectorAlgorithm 1 (systematic count-based),
 * samplingPacketInterval 1 and samplingPacketSpace interval-1: one packet in `interval` is selected.
 */
export function ipfixSamplingOptions(interval: number): OptionsLayout {
  return {
    scope: [f(IE.observationDomainId, 4)],
    fields: [f(IE.selectorAlgorithm, 2), f(IE.samplingPacketInterval, 4), f(IE.samplingPacketSpace, 4)],
    values: (domainId) =>
      new Map([
        [IE.observationDomainId, domainId],
        [IE.selectorAlgorithm, 1],
        [IE.samplingPacketInterval, 1],
        [IE.samplingPacketSpace, interval - 1],
      ]),
  };
}
