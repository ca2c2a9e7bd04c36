/**
 * Names addresses outside the cluster: configured CIDR labels first (longest prefix), then ASN and organisation
 * for public addresses, else UNKNOWN_ENDPOINT (private and special ranges without a label stay unknown).
 * @module
 */
import { type Endpoint, UNKNOWN_ENDPOINT } from '../../core/endpoint.js';
import type { IpAddress } from '../../core/flow.js';
import type { CidrLabelConfig } from '../config.js';
import type { ExternalResolver } from '../contracts.js';
import type { AsnDatabase } from './asn-database.js';
import { createCidrLabels } from './cidr-labels.js';
import { isSpecialAddress } from './special-ranges.js';

export interface ExternalResolverConfig {
  readonly cidrLabels: readonly CidrLabelConfig[];
  /** addresses remembered (answers are cached, the cache is emptied when full) */
  readonly cacheSize?: number;
}

export interface ExternalResolverDeps {
  /** omit to name public addresses only by CIDR labels (config `asn: false`) */
  readonly asn?: AsnDatabase | undefined;
}

export function createExternalResolver(
  config: ExternalResolverConfig,
  deps: ExternalResolverDeps = {},
): ExternalResolver {
  const labels = createCidrLabels(config.cidrLabels);
  const cacheSize = config.cacheSize ?? 65_536;
  const cache = new Map<IpAddress, Endpoint>();
  const { asn } = deps;
  return {
    resolve(ip) {
      const cached = cache.get(ip);
      if (cached) return cached;
      const found = labels.match(ip) ?? (asn && !isSpecialAddress(ip) ? asn.lookup(ip) : undefined) ?? UNKNOWN_ENDPOINT;
      if (cache.size >= cacheSize) cache.clear();
      cache.set(ip, found);
      return found;
    },
  };
}
