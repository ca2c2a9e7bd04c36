export { createTemplateCache, type PutResult, type TemplateCache, type TemplateScope } from './cache.js';
export { type TemplateCacheConfig, templateCacheConfig } from './config.js';
export { announceTemplate, countDrop, decodeDataSetById, type SetDecoding, truncatedOnce } from './data-set.js';
export { PacketContext } from './record.js';
export { Scratch } from './scratch.js';
export { type CompiledTemplate, compileTemplate, type TemplateDefinition, VARLEN } from './template.js';
