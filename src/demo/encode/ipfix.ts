/**
 * IPFIX messages (RFC 7011): 16-byte header with export time, sequence = data records sent before this message,
 * enterprise-specific fields (RFC 5103 reverse elements) carry their enterprise number.
 * @module
 */
import { createEncoder, type EncoderOptions, type FlowEncoder, type WireFormat } from './encoder.js';
import { IPT_NETFLOW_IPFIX } from './layouts.js';

const IPFIX: WireFormat = {
  version: 10,
  headerLength: 16,
  templateSetId: 2,
  optionsTemplateSetId: 3,
  fieldSpecLength: (field) => (field.enterprise ? 8 : 4),
  writeFieldSpec(view, offset, field) {
    view.setUint16(offset, field.enterprise ? field.id | 0x8000 : field.id);
    view.setUint16(offset + 2, field.length);
    if (!field.enterprise) return 4;
    view.setUint32(offset + 4, field.enterprise);
    return 8;
  },
  // an options template record carries the field count and the scope field count after its id
  optionsHeaderLength: 4,
  writeOptionsHeader(view, offset, scope, all) {
    view.setUint16(offset, all);
    view.setUint16(offset + 2, scope.length);
  },
  writeHeader(view, h) {
    view.setUint16(0, 10);
    view.setUint16(2, h.length);
    view.setUint32(4, Math.floor(h.now / 1000) >>> 0);
    view.setUint32(8, h.sequence >>> 0);
    view.setUint32(12, h.domainId >>> 0);
  },
  nextSequence: (sequence, dataRecords) => (sequence + dataRecords) >>> 0,
};

/** an IPFIX encoder; the layout defaults to ipt_NETFLOW's (use IPFIX_BIFLOW for RFC 5103 biflows) */
export function createIpfixEncoder(options: Omit<EncoderOptions, 'layout'> & Partial<EncoderOptions>): FlowEncoder {
  return createEncoder(IPFIX, { ...options, layout: options.layout ?? IPT_NETFLOW_IPFIX });
}
