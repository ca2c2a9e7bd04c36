import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UNKNOWN_ENDPOINT } from '../../core/endpoint.js';
import { ipv6ToBytes, parseIp, parseIpv4 } from '../../core/ip.js';
import { ASN_V4_FILE, ASN_V6_FILE, createAsnDatabase } from './asn-database.js';
import { parseAsnV4, parseAsnV6 } from './asn-table.js';
import { createExternalResolver } from './external-resolver.js';
import { isSpecialAddress } from './special-ranges.js';

const V4 = [
  '16777216,16777471,13335,"Cloudflare, Inc."',
  '134744064,134744319,15169,Google LLC',
  '3221225984,3221226239,64496,"Say ""hi"" Ltd"',
  'garbage line',
  '',
].join('\n');
const V6 = [
  '2001:4860::,2001:4860:ffff:ffff:ffff:ffff:ffff:ffff,15169,Google LLC',
  '2606:4700::,2606:4700:ffff:ffff:ffff:ffff:ffff:ffff,13335,"Cloudflare, Inc."',
].join('\n');

describe('ASN tables', () => {
  it('finds the range holding an address by binary search, with quoted organisations', () => {
    const v4 = parseAsnV4(V4);
    expect(v4.size).toBe(3);
    expect(v4.find(parseIpv4('1.0.0.1')!)).toEqual({ asn: 13335, org: 'Cloudflare, Inc.' });
    expect(v4.find(parseIpv4('8.8.8.8')!)).toEqual({ asn: 15169, org: 'Google LLC' });
    expect(v4.find(parseIpv4('192.0.2.9')!)).toEqual({ asn: 64496, org: 'Say "hi" Ltd' });
    expect(v4.find(parseIpv4('1.0.1.0')!)).toBeUndefined();
    expect(v4.find(parseIpv4('0.0.0.1')!)).toBeUndefined();
    const v6 = parseAsnV6(V6);
    expect(v6.find(ipv6ToBytes('2001:4860:4860::8888')!)).toEqual({ asn: 15169, org: 'Google LLC' });
    expect(v6.find(ipv6ToBytes('2606:4701::1')!)).toBeUndefined();
  });

  it('loads lazily from files, shares one endpoint per ASN, and reports a missing file instead of throwing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowmap-asn-'));
    writeFileSync(join(dir, ASN_V4_FILE), V4);
    const db = createAsnDatabase({ directory: dir });
    const google = db.lookup(parseIp('8.8.8.8')!);
    expect(google).toEqual({ kind: 'external', name: 'Google LLC', external: { asn: 15169, org: 'Google LLC' } });
    expect(db.lookup(parseIp('8.8.8.4')!)).toBe(google);
    expect(db.lookup(parseIp('2001:4860::1')!)).toBeUndefined();
    expect(db.lastError).toMatch(/^Cannot load ASN data ".*asn-ipv6.csv": ENOENT/);
    await db.load();
  });

  it('reads the embedded @ip-location-db/asn data (DB-IP and RouteViews)', async () => {
    const db = createAsnDatabase();
    await db.load();
    expect(db.lastError).toBeUndefined();
    expect(db.lookup(parseIp('8.8.8.8')!)?.external?.asn).toBe(15169);
    expect(db.lookup(parseIp('2606:4700:4700::1111')!)?.external?.asn).toBe(13335);
  });
});

describe('createExternalResolver()', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowmap-asn-'));
  writeFileSync(join(dir, ASN_V4_FILE), V4);
  writeFileSync(join(dir, ASN_V6_FILE), V6);
  const resolver = createExternalResolver(
    { cidrLabels: [{ name: 'office', cidrs: ['192.168.0.0/16', '8.8.4.0/24'] }] },
    { asn: createAsnDatabase({ directory: dir }) },
  );

  it('tries CIDR labels first, then ASN for public addresses; private ranges without a label stay unknown', () => {
    expect(resolver.resolve(parseIp('192.168.1.1')!).name).toBe('office');
    expect(resolver.resolve(parseIp('8.8.4.4')!).name).toBe('office');
    expect(resolver.resolve(parseIp('8.8.8.8')!).external).toEqual({ asn: 15169, org: 'Google LLC' });
    expect(resolver.resolve(parseIp('10.1.1.1')!)).toBe(UNKNOWN_ENDPOINT);
    expect(resolver.resolve(parseIp('fd00::1')!)).toBe(UNKNOWN_ENDPOINT);
    expect(resolver.resolve(parseIp('198.51.100.1')!)).toBe(UNKNOWN_ENDPOINT);
  });

  it('without ASN data names only by label', () => {
    const labelsOnly = createExternalResolver({ cidrLabels: [] });
    expect(labelsOnly.resolve(parseIp('8.8.8.8')!)).toBe(UNKNOWN_ENDPOINT);
  });

  it('knows the special-purpose ranges', () => {
    for (const ip of [
      '10.0.0.1',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.0.1',
      '100.64.0.1',
      '127.0.0.1',
      '169.254.1.1',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      'fe80::1',
      'fc00::1',
      'ff02::1',
    ]) {
      expect(isSpecialAddress(parseIp(ip)!), ip).toBe(true);
    }
    for (const ip of ['8.8.8.8', '172.32.0.1', '100.128.0.1', '2001:4860::1'])
      expect(isSpecialAddress(parseIp(ip)!), ip).toBe(false);
  });
});
