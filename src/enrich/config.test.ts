import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { parseCidr } from './cidr.js';
import { enrichConfig } from './config.js';

describe('enrichConfig', () => {
  it('fills every default', () => {
    expect(enrichConfig.parse({})).toEqual({
      snapshots: [],
      kubernetes: {
        mode: 'auto',
        backoffInitialMs: 500,
        backoffMaxMs: 30_000,
        listPageSize: 500,
        watchTimeoutSeconds: 300,
      },
      tombstoneGraceMs: 120_000,
      cidrLabels: [],
      asn: true,
    });
  });

  it('refuses bad CIDRs, empty labels and a backoff that starts above its maximum, naming the field', () => {
    const result = enrichConfig.safeParse({
      cidrLabels: [
        { name: 'vpn', cidrs: ['10.0.0.0/33'] },
        { name: '', cidrs: [] },
      ],
      kubernetes: { backoffInitialMs: 5000, backoffMaxMs: 100 },
    });
    expect(result.success).toBe(false);
    const text = z.prettifyError(result.error!);
    expect(text).toContain('Cannot parse CIDR "10.0.0.0/33"');
    expect(text).toContain('cidrLabels[1].name');
    expect(text).toContain('cidrLabels[1].cidrs');
    expect(
      enrichConfig.safeParse({ kubernetes: { backoffInitialMs: 5000, backoffMaxMs: 100 } }).error?.issues[0]?.path,
    ).toEqual(['kubernetes', 'backoffInitialMs']);
  });

  it('describes every field', () => {
    const undocumented: string[] = [];
    const walk = (schema: z.ZodType, path: string) => {
      const def = (
        schema as {
          def?: {
            type?: string;
            shape?: Record<string, z.ZodType>;
            innerType?: z.ZodType;
            element?: z.ZodType;
            in?: z.ZodType;
          };
        }
      ).def;
      if (def?.type === 'object') {
        for (const [key, child] of Object.entries(def.shape ?? {})) {
          if (!child.description) undocumented.push(`${path}${key}`);
          walk(child, `${path}${key}.`);
        }
      } else if (def?.innerType) walk(def.innerType, path);
      else if (def?.element) walk(def.element, `${path}[].`);
      else if (def?.in) walk(def.in, path);
    };
    walk(enrichConfig, '');
    expect(undocumented).toEqual([]);
  });
});

describe('parseCidr()', () => {
  it('parses IPv4 and IPv6 prefixes and bare addresses, clearing host bits', () => {
    expect(parseCidr('10.1.2.3/8')).toMatchObject({ family: 4, bits: 8, text: '10.0.0.0/8' });
    expect(parseCidr('192.0.2.7')).toMatchObject({ family: 4, bits: 32, text: '192.0.2.7/32' });
    expect(parseCidr('fd00:1:2::5/32')).toMatchObject({ family: 6, bits: 32, text: 'fd00:1::/32' });
    expect(parseCidr('::/0')).toMatchObject({ family: 6, bits: 0, text: '::/0' });
  });

  it('refuses what is not a CIDR', () => {
    for (const bad of ['10.0.0.0/33', 'fd00::/129', '10.0.0/8', 'x/8', '10.0.0.0/-1', '10.0.0.0/']) {
      expect(parseCidr(bad)).toBeUndefined();
    }
  });
});
