/**
 * Capture reading: pcap and pcapng bytes in, UDP datagrams out (the flow-export packets a collector would have
 * received). Pure; callers read the files.
 * @module
 */
export {
  type CaptureReader,
  type CaptureSkipReason,
  type CaptureStats,
  openCapture,
  type UdpDatagram,
} from './capture-reader.js';
export { type CaptureConfig, captureConfig, type ReassemblyConfig, reassemblyConfig } from './config.js';
export { CaptureError, type CaptureErrorCode } from './errors.js';
export { type CaptureFrame, readFrames, sniffCaptureFormat, type Truncation } from './frames.js';
export { LINK_TYPE } from './link-layer.js';
