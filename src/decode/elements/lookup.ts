/**
 * Element lookup across registries: IANA (enterprise 0), RFC 5103 reverse elements (enterprise 29305) and the CERT
 * NetSA registry (enterprise 6871, YAF) for the elements whose registry names we know. Anything else has no name:
 * callers print it as `<enterprise>:<id>` with its raw value in hex.
 * @module
 */
import { IANA_ELEMENTS } from './iana.js';
import { CERT_PEN, type ElementInfo, REVERSE_PEN } from './types.js';

/** CERT NetSA IPFIX registry (https://tools.netsa.cert.org/cert-ipfix-registry/), the YAF flow elements */
const CERT_ELEMENTS: ReadonlyMap<number, ElementInfo> = new Map<number, ElementInfo>([
  [14, { name: 'initialTCPFlags', type: 'u8' }],
  [15, { name: 'unionTCPFlags', type: 'u8' }],
  [18, { name: 'payload', type: 'octets' }],
  [21, { name: 'reverseFlowDeltaMilliseconds', type: 'u32' }],
  [33, { name: 'silkAppLabel', type: 'u16' }],
  [35, { name: 'payloadEntropy', type: 'u8' }],
  [36, { name: 'osName', type: 'string' }],
  [37, { name: 'osVersion', type: 'string' }],
  [40, { name: 'flowAttributes', type: 'u16' }],
  [100, { name: 'expiredFragmentCount', type: 'u32' }],
  [101, { name: 'assembledFragmentCount', type: 'u32' }],
  [102, { name: 'meanFlowRate', type: 'u32' }],
  [103, { name: 'meanPacketRate', type: 'u32' }],
  [104, { name: 'flowTableFlushEventCount', type: 'u32' }],
  [105, { name: 'flowTablePeakCount', type: 'u32' }],
]);

/** CERT marks the reverse direction of its own elements with this bit of the element id */
const CERT_REVERSE_BIT = 0x4000;

function reverseOf(info: ElementInfo | undefined): ElementInfo | undefined {
  if (!info) return undefined;
  return { name: `reverse${info.name[0]!.toUpperCase()}${info.name.slice(1)}`, type: info.type };
}

/** name and type of an element, or undefined when no registry we carry names it */
export function lookupElement(enterprise: number, id: number): ElementInfo | undefined {
  if (enterprise === 0) return IANA_ELEMENTS.get(id);
  if (enterprise === REVERSE_PEN) return reverseOf(IANA_ELEMENTS.get(id));
  if (enterprise === CERT_PEN) {
    if (id & CERT_REVERSE_BIT) return reverseOf(CERT_ELEMENTS.get(id & ~CERT_REVERSE_BIT));
    return CERT_ELEMENTS.get(id);
  }
  return undefined;
}

/** the printed key of a field: its registry name, else `<enterprise>:<id>` */
export function elementKey(enterprise: number, id: number): string {
  return lookupElement(enterprise, id)?.name ?? `${enterprise}:${id}`;
}
