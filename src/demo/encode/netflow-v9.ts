/**
 * NetFlow v9 export packets (RFC 3954): 20-byte header with sysUptime and unix seconds, sequence = packets sent,
 * count = template + options + data records in the packet; FIRST/LAST_SWITCHED are sysUptime-relative.
 * @module
 */
import { createEncoder, type EncoderOptions, type FlowEncoder, type WireFormat } from './encoder.js';
import { IPT_NETFLOW_V9 } from './layouts.js';

const V9: WireFormat = {
  version: 9,
  headerLength: 20,
  templateSetId: 0,
  optionsTemplateSetId: 1,
  fieldSpecLength: () => 4,
  writeFieldSpec(view, offset, field) {
    view.setUint16(offset, field.id);
    view.setUint16(offset + 2, field.length);
    return 4;
  },
  // option scope length, option length (both in bytes of field specifiers)
  optionsHeaderLength: 4,
  writeOptionsHeader(view, offset, scope, all) {
    view.setUint16(offset, scope.length * 4);
    view.setUint16(offset + 2, (all - scope.length) * 4);
  },
  // the header has whole seconds only: it claims the next whole second, and sysUptime matches it exactly, so
  // collectors computing absolute times (unix_secs - (sysUptime - FIRST_SWITCHED)) get the flow times to the ms
  writeHeader(view, h) {
    const seconds = Math.ceil(h.now / 1000);
    view.setUint16(0, 9);
    view.setUint16(2, h.recordCount);
    view.setUint32(4, (seconds * 1000 - h.bootTime) >>> 0);
    view.setUint32(8, seconds >>> 0);
    view.setUint32(12, h.sequence >>> 0);
    view.setUint32(16, h.domainId >>> 0);
  },
  nextSequence: (sequence) => (sequence + 1) >>> 0,
};

/** a NetFlow v9 encoder; the layout defaults to ipt_NETFLOW's */
export function createNetflowV9Encoder(options: Omit<EncoderOptions, 'layout'> & Partial<EncoderOptions>): FlowEncoder {
  return createEncoder(V9, { ...options, layout: options.layout ?? IPT_NETFLOW_V9 });
}
