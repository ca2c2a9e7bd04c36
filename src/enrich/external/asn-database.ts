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
  return new AsnDatabaseImpl(options.directory ?? defaultAsnDirectory());
}

type Family = 'v4' | 'v6';

class AsnDatabaseImpl implements AsnDatabase {
  /** undefined: not loaded yet; null: could not be loaded */
  private readonly tables: { v4?: AsnTable | null; v6?: AsnTable | null } = {};
  private readonly endpoints = new Map<number, Endpoint>();
  private error: string | undefined;

  constructor(private readonly directory: string) {}

  get lastError(): string | undefined {
    return this.error;
  }

  lookup(ip: IpAddress): Endpoint | undefined {
    const table = this.table(typeof ip === 'number' ? 'v4' : 'v6');
    if (!table) return undefined;
    const key = typeof ip === 'number' ? ip : ipv6ToBytes(ip);
    const match = key === undefined ? undefined : table.find(key);
    return match && this.endpointOf(match.asn, match.org);
  }

  async load(): Promise<void> {
    for (const family of ['v4', 'v6'] as const) {
      if (this.tables[family] !== undefined) continue;
      try {
        const text = await readFile(this.path(family), 'utf8');
        this.tables[family] ??= parse(family, text);
      } catch (error) {
        this.fail(family, error);
      }
    }
  }

  /** the family's table, read synchronously on first use */
  private table(family: Family): AsnTable | null {
    const found = this.tables[family];
    if (found !== undefined) return found;
    try {
      this.tables[family] = parse(family, readFileSync(this.path(family), 'utf8'));
    } catch (error) {
      this.fail(family, error);
    }
    return this.tables[family] ?? null;
  }

  private path(family: Family): string {
    return join(this.directory, family === 'v4' ? ASN_V4_FILE : ASN_V6_FILE);
  }

  private fail(family: Family, error: unknown): void {
    this.tables[family] = null;
    const reason = error instanceof Error ? error.message : String(error);
    this.error = `Cannot load ASN data "${this.path(family)}": ${reason}`;
  }

  /** one shared endpoint per ASN */
  private endpointOf(asn: number, org: string): Endpoint {
    let endpoint = this.endpoints.get(asn);
    if (!endpoint) {
      const external = Object.freeze(org ? { asn, org } : { asn });
      endpoint = Object.freeze({ kind: 'external', name: org || `AS${asn}`, external });
      this.endpoints.set(asn, endpoint);
    }
    return endpoint;
  }
}

function parse(family: Family, text: string): AsnTable {
  return family === 'v4' ? parseAsnV4(text) : parseAsnV6(text);
}
