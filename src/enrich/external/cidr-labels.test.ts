import { describe, expect, it } from 'vitest';
import { parseIp } from '../../core/ip.js';
import { createCidrLabels } from './cidr-labels.js';

describe('createCidrLabels()', () => {
  const labels = createCidrLabels([
    { name: 'corp', cidrs: ['10.0.0.0/8', 'fd00::/8'] },
    { name: 'vpn', cidrs: ['10.8.0.0/16', 'fd00:8::/32'] },
    { name: 'vpn-gw', cidrs: ['10.8.0.1', 'fd00:8::1'] },
    { name: 'shadowed', cidrs: ['10.8.0.0/16'] },
    { name: 'everything', cidrs: ['0.0.0.0/0'] },
  ]);
  const name = (ip: string) => labels.match(parseIp(ip)!)?.name;

  it('picks the longest matching prefix across labels, IPv4 and IPv6', () => {
    expect(name('10.1.2.3')).toBe('corp');
    expect(name('10.8.3.4')).toBe('vpn');
    expect(name('10.8.0.1')).toBe('vpn-gw');
    expect(name('fd00:1::1')).toBe('corp');
    expect(name('fd00:8::2')).toBe('vpn');
    expect(name('fd00:8::1')).toBe('vpn-gw');
    expect(name('8.8.8.8')).toBe('everything');
    expect(name('2001:db8::1')).toBeUndefined();
  });

  it('keeps the first label on equal prefixes and shares one endpoint per CIDR', () => {
    expect(labels.match(parseIp('10.8.9.9')!)).toBe(labels.match(parseIp('10.8.1.1')!));
    expect(labels.match(parseIp('10.8.9.9')!)?.external).toEqual({ label: 'vpn', cidr: '10.8.0.0/16' });
  });

  it('names the label and CIDR it cannot parse', () => {
    expect(() => createCidrLabels([{ name: 'x', cidrs: ['10.0.0.0/40'] }])).toThrow(
      'Cannot parse CIDR "10.0.0.0/40" of label "x"',
    );
  });
});
