/**
 * The embedded ASN data of `@ip-location-db/asn` (DB-IP and RouteViews, CC-BY-4.0), loaded lazily: each address
 * family's table is read and parsed on the first lookup that needs it (about 0.3-0.4 s and 10 MB each), or ahead
 * of time with `load()`. A missing or unreadable file disables that family and is reported, never thrown per flow.
 * @module
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Endpoint } from '../../core/endpoint.js';
import type { IpAddress } from '../../core/flow.js';
import { ipv6ToBytes } from '../../core/ip.js';
import { type AsnTable, parseAsnV4, parseAsnV6 } from './asn-table.js';

export const ASN_V4_FILE = 'asn-ipv4-num.csv';
export const ASN_V6_FILE = 'asn-ipv6.csv';

export interface AsnDatabase {
  /** the shared external endpoint of the ASN announcing `ip`, or undefined */
  lookup(ip: IpAddress): Endpoint | undefined;
  /** reads and parses both tables now (so the first flows do not pay for it) */
  load(): Promise<void>;
  /** why a table could not be loaded, if one could not */
  readonly lastError: string | undefined;
}

/** where the npm package put the CSV files */
export function defaultAsnDirectory(): string {
  return dirname(createRequire(import.meta.url).resolve('@ip-location-db/asn/package.json'));
}

export function createAsnDatabase(options: { readonly directory?: string } = {}): AsnDatabase {
  const directory = options.directory ?? defaultAsnDirectory();
  const tables: { v4?: AsnTable | null; v6?: AsnTable | null } = {};
  const endpoints = new Map<number, Endpoint>();
  let lastError: string | undefined;

  const parse = (family: 'v4' | 'v6', text: string) => (family === 'v4' ? parseAsnV4(text) : parseAsnV6(text));
  const path = (family: 'v4' | 'v6') => join(directory, family === 'v4' ? ASN_V4_FILE : ASN_V6_FILE);
  const fail = (family: 'v4' | 'v6', error: unknown) => {
    tables[family] = null;
    lastError = `Cannot load ASN data "${path(family)}": ${error instanceof Error ? error.message : String(error)}`;
  };

  function table(family: 'v4' | 'v6'): AsnTable | null {
    const found = tables[family];
    if (found !== undefined) return found;
    try {
      tables[family] = parse(family, readFileSync(path(family), 'utf8'));
    } catch (error) {
      fail(family, error);
    }
    return tables[family] ?? null;
  }

  function endpointOf(asn: number, org: string): Endpoint {
    let endpoint = endpoints.get(asn);
    if (!endpoint) {
      const external = Object.freeze(org ? { asn, org } : { asn });
      endpoint = Object.freeze({ kind: 'external', name: org || `AS${asn}`, external });
      endpoints.set(asn, endpoint);
    }
    return endpoint;
  }

  return {
    lookup(ip) {
      const family = typeof ip === 'number' ? 'v4' : 'v6';
      const t = table(family);
      if (!t) return undefined;
      const key = typeof ip === 'number' ? ip : ipv6ToBytes(ip);
      const match = key === undefined ? undefined : t.find(key);
      return match && endpointOf(match.asn, match.org);
    },
    async load() {
      for (const family of ['v4', 'v6'] as const) {
        if (tables[family] !== undefined) continue;
        try {
          const text = await readFile(path(family), 'utf8');
          tables[family] ??= parse(family, text);
        } catch (error) {
          fail(family, error);
        }
      }
    },
    get lastError() {
      return lastError;
    },
  };
}
