/**
 * Naming of addresses outside the cluster: CIDR labels and the embedded ASN data.
 * @module
 */
export { ASN_V4_FILE, ASN_V6_FILE, type AsnDatabase, createAsnDatabase, defaultAsnDirectory } from './asn-database.js';
export { type AsnMatch, type AsnTable, parseAsnV4, parseAsnV6 } from './asn-table.js';
export { type CidrLabels, createCidrLabels } from './cidr-labels.js';
export {
  createExternalResolver,
  type ExternalResolverConfig,
  type ExternalResolverDeps,
} from './external-resolver.js';
export { isSpecialAddress } from './special-ranges.js';
