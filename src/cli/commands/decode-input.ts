/**
 * The inputs of `flowmap decode`: pcap/pcapng captures (sniffed by magic, whatever their name) and raw `.dat`
 * files holding one UDP payload each.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { type CaptureStats, openCapture, sniffCaptureFormat } from '../../decode/pcap/index.js';

/** one export datagram and where it came from */
export interface InputDatagram {
  readonly payload: Uint8Array;
  readonly exporter: string;
  /** epoch ms: capture time, or the current time for `.dat` files */
  readonly receivedAt: number;
  /** frame number (1-based) and its byte offset in the file; 1 and 0 for `.dat` files */
  readonly frame: number;
  readonly offset: number;
  readonly srcPort: number;
  readonly dstPort: number;
}

export interface InputFile {
  readonly kind: 'pcap' | 'pcapng' | 'dat';
  readonly datagrams: Iterable<InputDatagram>;
  /** capture reader counters (filled while iterating); undefined for `.dat` files */
  readonly capture: CaptureStats | undefined;
}

export interface InputOptions {
  /** exporter address given to the datagrams of `.dat` files */
  readonly exporter: string;
  readonly now: () => number;
}

/** a file that cannot be read at all; the message names it (and the offset when there is one) */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** opens `path`; rejects with InputError when it is missing, unreadable, or neither a capture nor a `.dat` file */
export async function openInput(path: string, options: InputOptions): Promise<InputFile> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new InputError(`Cannot read "${path}": ${reason}`, { cause: error });
  }
  const format = sniffCaptureFormat(bytes);
  if (format) return captureInput(path, bytes, format);
  if (!path.toLowerCase().endsWith('.dat')) {
    throw new InputError(`Cannot read "${path}" at offset 0: neither a pcap/pcapng capture nor a .dat payload file`);
  }
  const datagram: InputDatagram = {
    payload: bytes,
    exporter: options.exporter,
    receivedAt: options.now(),
    frame: 1,
    offset: 0,
    srcPort: 0,
    dstPort: 0,
  };
  return { kind: 'dat', datagrams: [datagram], capture: undefined };
}

function captureInput(path: string, bytes: Uint8Array, format: 'pcap' | 'pcapng'): InputFile {
  let reader: ReturnType<typeof openCapture>;
  try {
    reader = openCapture(bytes);
  } catch (error) {
    const e = error as { reason?: string; context?: { offset: number }; message: string };
    throw new InputError(`Cannot read "${path}" at offset ${e.context?.offset ?? 0}: ${e.reason ?? e.message}`, {
      cause: error,
    });
  }
  function* datagrams(): Generator<InputDatagram> {
    for (const d of reader.datagrams()) {
      yield {
        payload: d.payload,
        exporter: d.srcAddr,
        receivedAt: Math.floor(d.timestamp),
        frame: d.frame,
        offset: d.offset,
        srcPort: d.srcPort,
        dstPort: d.dstPort,
      };
    }
  }
  return { kind: format, datagrams: datagrams(), capture: reader.stats };
}
