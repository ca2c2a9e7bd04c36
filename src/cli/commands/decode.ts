/**
 * `flowmap decode FILE...`: prints every data and options record of NetFlow/IPFIX/sFlow captures and `.dat`
 * payload files as JSON lines, or a summary of them. All files go through ONE PacketDecoder in the order given, so
 * templates learnt from one file decode the data of the next.
 * @module
 */
import { parseArgs } from 'node:util';
import { systemClock } from '../../core/clock.js';
import type { FlowRecord } from '../../core/flow.js';
import { createPacketDecoder, type DecodedFields, type DecodeStats, type PacketDecoder } from '../../decode/index.js';
import { type InputDatagram, type InputFile, openInput } from './decode-input.js';
import { DecodeSummary } from './decode-summary.js';

const HELP = `Usage: flowmap decode FILE... [options]

Prints one JSON object per flow record (data and options records of NetFlow v5/v9, IPFIX and sFlow v5):
{ "exporter", "version", "observationDomainId", "templateId", ...fields named as in the IANA IPFIX registry }.
FILE is a pcap or pcapng capture (Ethernet, Linux cooked, raw IP or loopback; VLAN; IPv4/IPv6; IP fragments
are reassembled) or a .dat file holding one raw UDP payload. Files are decoded in the order given with one
template state, so templates from one file decode the data of the next.

Options:
  --summary          print counts per exporter/version/domain/template, drop reasons and skipped frames
                     instead of the records
  --json             with --summary: print the summary as one JSON object
  --exporter ADDR    exporter address of the .dat files' payloads (default 192.0.2.1)
  --port N           decode only the UDP datagrams of captures sent to or from port N
  -h, --help         show this help

Exit status: 0 when every file was read (bad packets are skipped and counted), 1 when a file could not be read
at all, 2 for bad options.`;

export interface CommandIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

interface DecodeOptions {
  readonly files: readonly string[];
  readonly summary: boolean;
  readonly json: boolean;
  readonly exporter: string;
  readonly port: number | undefined;
}

/** parses argv; returns the options, or the exit status after printing help or an error */
function parseOptions(argv: string[], io: CommandIo): DecodeOptions | number {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    io.stderr.write(`Cannot parse options: ${(error as Error).message}\n\n${HELP}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (positionals.length === 0) {
    io.stderr.write(`Cannot decode: no FILE given\n\n${HELP}\n`);
    return 2;
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65_535)) {
    io.stderr.write(`Cannot use port "${values.port}": not a number from 0 to 65535\n`);
    return 2;
  }
  return {
    files: positionals,
    summary: values.summary ?? false,
    json: values.json ?? false,
    exporter: values.exporter ?? '192.0.2.1',
    port,
  };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      summary: { type: 'boolean' },
      json: { type: 'boolean' },
      exporter: { type: 'string' },
      port: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/** resolves when `stream` can take more (or closed); removes its listeners either way */
function drained(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}

/** buffers lines and writes them in chunks, waiting when the reader is slower; stops quietly on a closed pipe */
function createLineWriter(stream: NodeJS.WritableStream) {
  let buffer = '';
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    closed = true;
  });
  const flush = async () => {
    if (!buffer || closed) return;
    const ok = stream.write(buffer);
    buffer = '';
    if (!ok) await drained(stream);
  };
  return {
    get closed() {
      return closed;
    },
    async line(text: string) {
      buffer += `${text}\n`;
      if (buffer.length >= 1 << 16) await flush();
    },
    flush,
  };
}

function totalDrops(stats: DecodeStats): number {
  let n = 0;
  for (const v of Object.values(stats.dropped)) n += v ?? 0;
  return n;
}

/** runs `flowmap decode` and resolves to its exit status */
export async function run(argv: string[], io: CommandIo = process): Promise<number> {
  const options = parseOptions(argv, io);
  if (typeof options === 'number') return options;
  const decoder = createPacketDecoder({ clock: systemClock });
  const writer = createLineWriter(io.stdout);
  const summary = new DecodeSummary();
  let failed = false;
  for (const path of options.files) {
    let input: InputFile;
    try {
      input = await openInput(path, { exporter: options.exporter, now: systemClock });
    } catch (error) {
      io.stderr.write(`${(error as Error).message}\n`);
      failed = true;
      continue;
    }
    await decodeFile(path, input, decoder, options, summary, writer);
    if (writer.closed) break;
  }
  await writer.flush();
  if (options.summary) {
    const text = options.json ? JSON.stringify(summary.toJson(decoder.stats), null, 2) : summary.toText(decoder.stats);
    io.stdout.write(`${text}\n`);
  }
  for (const f of summary.files) {
    if (f.truncated)
      io.stderr.write(`Cannot read all of "${f.path}" at offset ${f.truncated.offset}: ${f.truncated.reason}\n`);
  }
  return failed ? 1 : 0;
}

async function decodeFile(
  path: string,
  input: InputFile,
  decoder: PacketDecoder,
  options: DecodeOptions,
  summary: DecodeSummary,
  writer: ReturnType<typeof createLineWriter>,
): Promise<void> {
  const report = { path, kind: input.kind, datagrams: 0 };
  summary.files.push(report);
  const out: FlowRecord[] = [];
  const fields: DecodedFields[] = [];
  const lastDrops = { ...decoder.stats.dropped };
  const matches = (d: InputDatagram) =>
    options.port === undefined || d.srcPort === options.port || d.dstPort === options.port;
  for (const d of input.datagrams) {
    if (input.capture && !matches(d)) {
      summary.filteredByPort++;
      continue;
    }
    report.datagrams++;
    const before = totalDrops(decoder.stats);
    decoder.decode(d.payload, { exporter: d.exporter, receivedAt: d.receivedAt, out, fields });
    if (totalDrops(decoder.stats) > before) {
      const reasons = Object.entries(decoder.stats.dropped)
        .filter(([reason, n]) => (n ?? 0) > (lastDrops[reason as keyof typeof lastDrops] ?? 0))
        .map(([reason]) => reason);
      Object.assign(lastDrops, decoder.stats.dropped);
      summary.addDrop({ file: path, frame: d.frame, offset: d.offset, reasons });
    }
    for (const f of fields) {
      summary.addRecord(f);
      if (!options.summary) {
        const { exporter, version, observationDomainId, templateId } = f;
        await writer.line(JSON.stringify({ exporter, version, observationDomainId, templateId, ...f.fields }));
      }
    }
    out.length = 0;
    fields.length = 0;
    if (writer.closed) return;
  }
  if (input.capture) {
    const { frames, skipped, truncated } = input.capture;
    Object.assign(report, { frames, skipped, ...(truncated ? { truncated } : {}) });
  }
}
