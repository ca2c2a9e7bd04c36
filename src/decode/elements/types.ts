/**
 * Abstract data types of the IANA IPFIX registry (RFC 7011 §6.1, RFC 6313 for the list types), as short codes.
 * @module
 */

export type ElementType =
  | 'u8'
  | 'u16'
  | 'u32'
  | 'u64'
  | 's8'
  | 's16'
  | 's32'
  | 's64'
  | 'f32'
  | 'f64'
  | 'bool'
  | 'mac'
  | 'octets'
  | 'string'
  | 'dtSec'
  | 'dtMs'
  | 'dtUs'
  | 'dtNs'
  | 'ipv4'
  | 'ipv6'
  /** RFC 6313 structured data: printed as octets */
  | 'list';

/** one information element of a registry */
export interface ElementInfo {
  readonly name: string;
  readonly type: ElementType;
}

/** the RFC 5103 private enterprise number whose elements are the reverse direction of IANA elements */
export const REVERSE_PEN = 29305;

/** CERT NetSA (YAF); its enterprise elements with bit 0x4000 set are the reverse direction */
export const CERT_PEN = 6871;
