/**
 * pcap output of simulated export traffic.
 * @module
 */
export { type CapturedDatagram, writePcap } from './writer.js';
