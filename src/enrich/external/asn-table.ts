/**
 * ASN ranges in a compact sorted table: IPv4 as Uint32Array starts/ends, IPv6 as four 32-bit words per bound,
 * one Uint32Array of ASNs, organisation names shared per ASN; lookups are a binary search. Parsed from the
 * `@ip-location-db/asn` CSV files (DB-IP and RouteViews, CC-BY-4.0): `start,end,asn,org` with the org quoted
 * when it holds a comma.
 * @module
 */
import { ipv6ToBytes } from '../../core/ip.js';

export interface AsnMatch {
  readonly asn: number;
  readonly org: string;
}

export interface AsnTable {
  /** ranges held */
  readonly size: number;
  /** the range holding `ip`: an IPv4 number, or IPv6 as 16 bytes */
  find(ip: number | Uint8Array): AsnMatch | undefined;
}

interface Columns {
  readonly starts: string[];
  readonly ends: string[];
  readonly asns: number[];
  readonly orgs: Map<number, string>;
}

/** splits the CSV into columns; rows that do not parse are skipped */
function columns(csv: string): Columns {
  const out: Columns = { starts: [], ends: [], asns: [], orgs: new Map() };
  let pos = 0;
  while (pos < csv.length) {
    let eol = csv.indexOf('\n', pos);
    if (eol < 0) eol = csv.length;
    const c1 = csv.indexOf(',', pos);
    const c2 = c1 < 0 ? -1 : csv.indexOf(',', c1 + 1);
    const c3 = c2 < 0 ? -1 : csv.indexOf(',', c2 + 1);
    if (c3 > 0 && c3 < eol) {
      const asn = Number(csv.slice(c2 + 1, c3));
      if (Number.isInteger(asn)) {
        out.starts.push(csv.slice(pos, c1));
        out.ends.push(csv.slice(c1 + 1, c2));
        out.asns.push(asn);
        if (!out.orgs.has(asn)) out.orgs.set(asn, unquote(csv.slice(c3 + 1, eol).trimEnd()));
      }
    }
    pos = eol + 1;
  }
  return out;
}

/** a fresh copy: slices of the CSV text would otherwise keep the whole file alive */
function unquote(text: string): string {
  const body = text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1).replaceAll('""', '"') : text;
  return Array.from(body).join('');
}

/** parses `asn-ipv4-num.csv` (decimal bounds) */
export function parseAsnV4(csv: string): AsnTable {
  const cols = columns(csv);
  const n = cols.asns.length;
  const starts = new Uint32Array(n);
  const ends = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    starts[i] = Number(cols.starts[i]);
    ends[i] = Number(cols.ends[i]);
  }
  const asns = Uint32Array.from(cols.asns);
  const orgs = cols.orgs;
  return {
    size: n,
    find(ip) {
      if (typeof ip !== 'number') return undefined;
      let lo = 0;
      let hi = n - 1;
      let hit = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        if (starts[mid]! <= ip) {
          hit = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      if (hit < 0 || ip > ends[hit]!) return undefined;
      return { asn: asns[hit]!, org: orgs.get(asns[hit]!) ?? '' };
    },
  };
}

function words(bytes: Uint8Array, into: Uint32Array, at: number): void {
  for (let w = 0; w < 4; w++) {
    into[at + w] =
      ((bytes[4 * w]! << 24) | (bytes[4 * w + 1]! << 16) | (bytes[4 * w + 2]! << 8) | bytes[4 * w + 3]!) >>> 0;
  }
}

/** compares the 128-bit value at `table[at..at+4]` with `key[0..4]` */
function compare(table: Uint32Array, at: number, key: Uint32Array): number {
  for (let w = 0; w < 4; w++) {
    const a = table[at + w]!;
    const b = key[w]!;
    if (a !== b) return a < b ? -1 : 1;
  }
  return 0;
}

/** parses `asn-ipv6.csv` (text bounds) */
export function parseAsnV6(csv: string): AsnTable {
  const cols = columns(csv);
  const starts = new Uint32Array(cols.asns.length * 4);
  const ends = new Uint32Array(cols.asns.length * 4);
  const asnList: number[] = [];
  let n = 0;
  for (let i = 0; i < cols.asns.length; i++) {
    const start = ipv6ToBytes(cols.starts[i]!);
    const end = ipv6ToBytes(cols.ends[i]!);
    if (!start || !end) continue;
    words(start, starts, 4 * n);
    words(end, ends, 4 * n);
    asnList.push(cols.asns[i]!);
    n++;
  }
  const asns = Uint32Array.from(asnList);
  const orgs = cols.orgs;
  const key = new Uint32Array(4);
  return {
    size: n,
    find(ip) {
      if (typeof ip === 'number') return undefined;
      words(ip, key, 0);
      let lo = 0;
      let hi = n - 1;
      let hit = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        if (compare(starts, 4 * mid, key) <= 0) {
          hit = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      if (hit < 0 || compare(ends, 4 * hit, key) < 0) return undefined;
      return { asn: asns[hit]!, org: orgs.get(asns[hit]!) ?? '' };
    },
  };
}
