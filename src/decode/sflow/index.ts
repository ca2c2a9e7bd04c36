/**
 * sFlow v5: the SubDecoder the PacketDecoder delegates to for datagrams whose first word is 5, and the datagram
 * header reader (for tools that report per datagram).
 * @module
 */
export type { DatagramHeader } from './fields.js';
export { type DatagramHeading, decodeSflow, readDatagramHeader } from './sflow.js';
