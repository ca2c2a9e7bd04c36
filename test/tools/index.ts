/**
 * Test harnesses shared by the project's tests: capture writing, synthetic traffic with its truth, and runners for
 * the real programs tests compare against (softflowd as exporter, nfcapd/nfdump and tshark as decoders).
 * @module
 */
export * from './nfdump.js';
export * from './overlay.js';
export * from './packets.js';
export * from './pcap-writer.js';
export * from './process.js';
export * from './softflowd.js';
export * from './traffic.js';
export * from './tshark.js';
export * from './udp.js';
