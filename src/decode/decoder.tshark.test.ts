/**
 * Record counts and record keys against the tshark reference decodes of the logstash .dat groups
 * (../shared/corpus/_reference-tshark/logstash-codec-netflow/golden, TShark 4.0.17, one file per test group).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { corpusPath, describeWithCorpus } from '../../test/corpus.js';
import type { DecodedFields } from './contracts.js';
import { createPacketDecoder } from './index.js';

interface TsharkGroup {
  readonly inputs: readonly string[];
  readonly record_count: number;
  readonly records: readonly { set_id: number; fields: Record<string, string | string[]> }[] | number;
}

/**
 * Groups where flowmap decodes more than tshark, with the count INDEX.md's own scan found and why tshark differs.
 */
const TSHARK_DIFFERS: Readonly<Record<string, { count: number; why: string }>> = {
  'Netflow-9-H3C': { count: 16, why: 'tshark 4.0.17 flags the length-65535 (variable length) v9 template malformed' },
  'Netflow-9-H3C-Netstream-with-varstring': { count: 1, why: 'same H3C variable-length v9 template' },
  IPFIX: { count: 13, why: 'ipfix.dat holds 3 IPFIX messages; tshark decodes only the first (7 records)' },
  'Netflow-5-valid-01': { count: 30, why: 'netflow5.dat holds 12 concatenated v5 PDUs; tshark decodes the first' },
  'Netflow-9-invalid-01': { count: 3, why: 'tshark rejects the packet whose header count lies; 2 data + 1 options' },
  'IPFIX-from-IXIA-something-something': {
    count: 1,
    why: 'the reference file lists no records, but INDEX.md (tshark column) and tshark itself decode 1 flow',
  },
};

/** tshark field -> flowmap field, compared per record where tshark printed the field */
const KEYS: Readonly<Record<string, string>> = {
  'cflow.srcaddr': 'sourceIPv4Address',
  'cflow.dstaddr': 'destinationIPv4Address',
  'cflow.srcaddrv6': 'sourceIPv6Address',
  'cflow.dstaddrv6': 'destinationIPv6Address',
  'cflow.srcport': 'sourceTransportPort',
  'cflow.dstport': 'destinationTransportPort',
  'cflow.protocol': 'protocolIdentifier',
  'cflow.octets': 'octetDeltaCount',
  'cflow.packets': 'packetDeltaCount',
};

function decode(group: TsharkGroup): DecodedFields[] {
  const decoder = createPacketDecoder({ clock: () => 0 });
  const fields: DecodedFields[] = [];
  for (const input of group.inputs) {
    const packet = new Uint8Array(readFileSync(corpusPath(input)));
    decoder.decode(packet, { exporter: '192.0.2.1', receivedAt: 0, out: [], fields });
  }
  return fields;
}

describeWithCorpus('tshark reference decodes of the logstash .dat groups', () => {
  const dir = corpusPath('_reference-tshark/logstash-codec-netflow/golden');
  const groups = readdirSync(dir)
    .sort()
    .map((file) => [file.replace('.tshark.json', ''), JSON.parse(readFileSync(`${dir}/${file}`, 'utf8'))] as const);

  it('has a reference for every golden group', () => {
    expect(groups).toHaveLength(52);
  });

  for (const [name, group] of groups as readonly (readonly [string, TsharkGroup])[]) {
    const differs = TSHARK_DIFFERS[name];
    it(`${name}: ${differs ? `${differs.count} records (${differs.why})` : `${group.record_count} records as tshark`}`, () => {
      const fields = decode(group);
      expect(fields).toHaveLength(differs?.count ?? group.record_count);
      if (differs || !Array.isArray(group.records)) return;
      const mismatches: string[] = [];
      let compared = 0;
      group.records.forEach((record, i) => {
        if (fields[i]?.templateId !== (fields[i]?.version === 5 ? 0 : record.set_id) && record.set_id > 255) {
          mismatches.push(`#${i}: set ${record.set_id} vs template ${fields[i]?.templateId}`);
        }
        for (const [tsharkKey, ourKey] of Object.entries(KEYS)) {
          // tshark files several elements under one name (7 and 182 both as cflow.srcport): the first is IE 7
          const raw = record.fields[tsharkKey];
          const want = Array.isArray(raw) ? raw[0] : raw;
          if (want === undefined) continue;
          const got = fields[i]?.fields[ourKey];
          compared++;
          if (String(got) !== want) mismatches.push(`#${i} ${ourKey}: tshark ${want}, flowmap ${String(got)}`);
        }
      });
      expect(mismatches).toEqual([]);
      const withKeys = group.records.filter((r) => Object.keys(KEYS).some((k) => k in r.fields)).length;
      expect(compared).toBeGreaterThanOrEqual(withKeys);
    });
  }
});
