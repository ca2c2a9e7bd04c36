/**
 * NetFlow v9 and IPFIX encoders for the simulated exporters and the load generator.
 * @module
 */
export type { EncoderOptions, EncoderStats, FlowEncoder } from './encoder.js';
export { type FieldContext, recordValue } from './fields.js';
export { IE, REVERSE_PEN, type TemplateField, V9_SCOPE } from './ie.js';
export { createIpfixEncoder } from './ipfix.js';
export {
  type DataLayout,
  IPFIX_BIFLOW,
  IPT_NETFLOW_IPFIX,
  IPT_NETFLOW_V9,
  ipfixSamplingOptions,
  type OptionsLayout,
  v9SamplingOptions,
} from './layouts.js';
export { createNetflowV9Encoder } from './netflow-v9.js';
export type { ExportRecord, ExportReverse } from './record.js';
