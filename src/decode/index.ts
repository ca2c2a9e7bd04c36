/**
 * The decode stage: export datagrams (NetFlow v5/v9, IPFIX, sFlow v5) in, FlowRecords and named fields out.
 * @module
 */
export * from './contracts.js';
export { createPacketDecoder, type PacketDecoderDeps, type TemplatePacketDecoder } from './decoder.js';
export type { ElementInfo, ElementType } from './elements/index.js';
export { elementKey, lookupElement } from './elements/index.js';
export {
  createTemplateCache,
  type PutResult,
  type TemplateCache,
  type TemplateCacheConfig,
  type TemplateScope,
  templateCacheConfig,
} from './templates/index.js';
