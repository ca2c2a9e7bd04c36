import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { corpusPath, describeWithCorpus } from '../../../test/corpus.js';
import { ETHERTYPE, ethernetFrame, ipv4Packet, udpSegment } from '../../../test/tools/packets.js';
import { writeDatagramsPcap } from '../../../test/tools/tshark.js';
import { encodeSflowDatagram, headerRecord } from '../../decode/sflow/testing.js';
import { run } from './decode.js';

interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly lines: Record<string, unknown>[];
}

function collect(stream: PassThrough): () => string {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return () => Buffer.concat(chunks).toString();
}

async function decode(...argv: string[]): Promise<Result> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out = collect(stdout);
  const err = collect(stderr);
  const code = await run(argv, { stdout, stderr });
  const text = out();
  const lines =
    argv.includes('--summary') || argv.includes('--help')
      ? []
      : text
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code, stdout: text, stderr: err(), lines };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'flowmap-decode-test-'));
});

const sflowDatagram = (sequence: number) =>
  encodeSflowDatagram({
    agent: '10.0.0.254',
    sequence,
    flowSamples: [
      {
        samplingRate: 512,
        records: [
          headerRecord(
            ethernetFrame({
              etherType: ETHERTYPE.IPV4,
              payload: ipv4Packet({
                src: '10.0.0.1',
                dst: '10.0.0.2',
                protocol: 17,
                payload: udpSegment({
                  src: '10.0.0.1',
                  dst: '10.0.0.2',
                  srcPort: 53,
                  dstPort: 4000,
                  payload: new Uint8Array(20),
                }),
              }),
            }),
          ),
        ],
      },
    ],
  });

describe('flowmap decode (synthetic captures)', () => {
  it('prints one JSON line per record with exporter, version, domain and template first', async () => {
    const pcap = join(dir, 'sflow.pcap');
    writeDatagramsPcap(pcap, [sflowDatagram(1), sflowDatagram(2)], { src: '192.0.2.50', dstPort: 6343 });
    const { code, lines } = await decode(pcap);
    expect(code).toBe(0);
    expect(lines).toHaveLength(2);
    expect(Object.keys(lines[0]!).slice(0, 4)).toEqual(['exporter', 'version', 'observationDomainId', 'templateId']);
    expect(
      lines.map((l) => [l.exporter, l.version, l.sequenceNumber, l.sourceIPv4Address, l.samplingPacketInterval]),
    ).toEqual([
      ['192.0.2.50', 'sflow5', 1, '10.0.0.1', 512],
      ['192.0.2.50', 'sflow5', 2, '10.0.0.1', 512],
    ]);
  });

  it('feeds non-flow UDP to the decoder (counted and located in the summary) unless --port filters it', async () => {
    const pcap = join(dir, 'mixed.pcap');
    const junk = new TextEncoder().encode('not a flow export');
    const flow = join(dir, 'flow.pcap');
    const other = join(dir, 'other.pcap');
    writeDatagramsPcap(flow, [sflowDatagram(1)], { dstPort: 6343 });
    writeDatagramsPcap(other, [junk], { dstPort: 9999 });
    // one capture holding both: the flow datagram first, then the junk
    const a = readFileSync(flow);
    const b = readFileSync(other).subarray(24);
    writeFileSync(pcap, Buffer.concat([a, b]));
    const all = await decode('--summary', '--json', pcap);
    const summary = JSON.parse(all.stdout);
    expect(summary.decoder.dropped).toEqual({ 'unknown-version': 1 });
    expect(summary.firstDrops).toEqual([{ file: pcap, frame: 2, offset: a.length, reasons: ['unknown-version'] }]);
    const filtered = await decode('--summary', '--json', '--port', '6343', pcap);
    expect(JSON.parse(filtered.stdout)).toMatchObject({
      filteredByPort: 1,
      decoder: { packets: 1, records: 1, dropped: {} },
    });
  });

  it('names a missing file, exits 1 and still decodes the others', async () => {
    const pcap = join(dir, 'ok.pcap');
    writeDatagramsPcap(pcap, [sflowDatagram(7)], { dstPort: 6343 });
    const missing = join(dir, 'missing.pcap');
    const { code, stderr, lines } = await decode(missing, pcap);
    expect(code).toBe(1);
    expect(stderr).toContain(`Cannot read "${missing}": no such file`);
    expect(lines).toHaveLength(1);
  });

  it('refuses a file that is neither a capture nor a .dat payload, naming the file and offset', async () => {
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'hello');
    const { code, stderr } = await decode(text);
    expect(code).toBe(1);
    expect(stderr).toContain(
      `Cannot read "${text}" at offset 0: neither a pcap/pcapng capture nor a .dat payload file`,
    );
  });

  it('decodes what precedes a truncation, reports it with its offset and exits 0', async () => {
    const pcap = join(dir, 'truncated.pcap');
    writeDatagramsPcap(pcap, [sflowDatagram(1), sflowDatagram(2), sflowDatagram(3)], { dstPort: 6343 });
    const bytes = readFileSync(pcap);
    writeFileSync(pcap, bytes.subarray(0, bytes.length - 10));
    const { code, stderr, lines } = await decode(pcap);
    expect(code).toBe(0);
    expect(lines.map((l) => l.sequenceNumber)).toEqual([1, 2]);
    expect(stderr).toMatch(
      new RegExp(`Cannot read all of "${pcap}" at offset \\d+: record of \\d+ bytes runs past the end of the file`),
    );
    const summary = await decode('--summary', pcap);
    expect(summary.code).toBe(0);
    expect(summary.stdout).toMatch(/truncated at offset \d+/);
  });

  it('answers --help with 0 and bad options with 2', async () => {
    expect((await decode('--help')).stdout).toContain('Usage: flowmap decode FILE...');
    expect((await decode('--port', 'x', 'a.pcap')).code).toBe(2);
    expect((await decode()).code).toBe(2);
    expect((await decode('--nope', 'a.pcap')).code).toBe(2);
  });
});

describeWithCorpus('flowmap decode (corpus)', () => {
  const spec = (name: string) => corpusPath('logstash-codec-netflow/spec/codecs', name);

  it('decodes a pmacct IPFIX capture into the 12 records tshark sees', async () => {
    const { code, lines } = await decode(corpusPath('pmacct/tests/100-IPFIXv10-CISCO/traffic-00.pcap'));
    expect(code).toBe(0);
    expect(lines).toHaveLength(12);
    expect(new Set(lines.map((l) => l.version))).toEqual(new Set([10]));
    for (const l of lines) {
      expect(typeof (l.sourceIPv4Address ?? l.sourceIPv6Address)).toBe('string');
      expect(l.octetDeltaCount).toBeGreaterThan(0);
    }
  });

  it('keeps one template state across .dat files given in order, with the --exporter address', async () => {
    const tpl = spec('netflow9_test_cisco_asa_1_tpl.dat');
    const data = spec('netflow9_test_cisco_asa_1_data.dat');
    const ordered = await decode('--exporter', '198.51.100.9', tpl, data);
    expect(ordered.lines).toHaveLength(14);
    expect(new Set(ordered.lines.map((l) => l.exporter))).toEqual(new Set(['198.51.100.9']));
    const reversed = await decode('--summary', '--json', data, tpl);
    expect(JSON.parse(reversed.stdout).decoder).toMatchObject({
      records: 0,
      dropped: { 'template-missing': expect.any(Number) },
    });
  });

  it('summarises per exporter/version/template, counting sFlow counters and NetFlow v5 on the sFlow port', async () => {
    const pcap = corpusPath('tcpdump/tests/sflow_multiple_counter_30_pdus.pcap');
    const json = JSON.parse((await decode('--summary', '--json', pcap)).stdout);
    expect(json.decoder).toMatchObject({ packets: 30, counterSamples: 144, records: 7 });
    const v5 = json.groups.filter((g: { version: unknown }) => g.version === 5);
    expect(v5.reduce((n: number, g: { records: number }) => n + g.records, 0)).toBe(7);
    const text = (await decode('--summary', pcap)).stdout;
    expect(text).toContain('sFlow counter samples 144');
    expect(text).toMatch(/^168\.87\.240\.2\s+5\s+0\s+0\s+3\s+0$/m);
  });

  it('streams through a slow reader without losing lines or piling up listeners', async () => {
    const stdout = new PassThrough({ highWaterMark: 1024 });
    let text = '';
    stdout.on('data', (chunk: Buffer) => {
      stdout.pause();
      text += chunk.toString();
      setTimeout(() => stdout.resume(), 0);
    });
    const pcap = corpusPath('pmacct/tests/400-IPFIXv10-BMP-CISCO-SRv6-multiple-sources/traffic-00.pcap');
    expect(await run([pcap], { stdout, stderr: new PassThrough() })).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(text.split('\n').filter(Boolean)).toHaveLength(995);
    expect(stdout.listenerCount('drain') + stdout.listenerCount('close')).toBe(0);
  });

  it('runs as a program: npx tsx src/cli/main.ts decode', () => {
    const pcap = corpusPath('akvorado/outlet/flow/decoder/sflow/testdata/data-1140.pcap');
    const result = spawnSync('npx', ['tsx', 'src/cli/main.ts', 'decode', pcap], { encoding: 'utf8', timeout: 60_000 });
    expect(result.status).toBe(0);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatchObject({
      exporter: '192.0.2.100',
      version: 'sflow5',
      templateId: 1,
      destinationTransportPort: 22,
    });
    const missing = spawnSync('npx', ['tsx', 'src/cli/main.ts', 'decode', '/nonexistent/x.pcap'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('Cannot read "/nonexistent/x.pcap": no such file');
  });
});
