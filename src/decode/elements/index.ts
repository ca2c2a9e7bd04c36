export { formatValue } from './format.js';
export { IANA_ELEMENTS } from './iana.js';
export { elementKey, lookupElement } from './lookup.js';
export { CERT_PEN, type ElementInfo, type ElementType, REVERSE_PEN } from './types.js';
