/**
 * Runs Debian's softflowd as a real exporter over a capture file and collects the NetFlow v9 / IPFIX datagrams it
 * sends. softflowd does not exit at the end of a `-r` file, so (ARCHITECTURE.md, machine facts) it runs in the
 * foreground with a pid file and a control socket; `softflowctl statistics` is polled until every packet of the
 * capture is processed, then `softflowctl shutdown` flushes the flows and stops it.
 * @module
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireTool, runTool, sleep, stopChild, waitForExit } from './process.js';
import { listenUdp, type ReceivedDatagram } from './udp.js';

export interface SoftflowdOptions {
  /** the capture softflowd reads (`-r`) */
  readonly pcap: string;
  /** 9: NetFlow v9 with `-a` (pcap times, else times are ~49 days off); 10: IPFIX with `-A milli` */
  readonly version: 9 | 10;
  /** how many packets the capture holds: polling stops when softflowd has processed them all */
  readonly packets: number;
  /** collector port on 127.0.0.1; 0 (default) picks a free one */
  readonly port?: number;
  /** more softflowd options, e.g. ['-T', 'full'] or ['-b'] (IPFIX biflows) */
  readonly extraArgs?: readonly string[];
  readonly timeoutMs?: number;
  /** also relay every datagram, as it arrives, to this collector (e.g. a running `flowmap serve`); see listenUdp */
  readonly forwardTo?: { readonly port: number; readonly address?: string };
}

export interface SoftflowdRun {
  /** the export datagrams in arrival order (source 127.0.0.1) */
  readonly datagrams: readonly ReceivedDatagram[];
  /** the last `softflowctl statistics` output before shutdown */
  readonly statistics: string;
  /** what softflowd printed (its summary on shutdown) */
  readonly output: string;
  /** the port softflowd sent to on 127.0.0.1 (the source port of relayed datagrams, see forwardTo) */
  readonly collectorPort: number;
}

/** runs softflowd over `pcap` and resolves with what it exported; kills it and rejects on failure or timeout */
export async function runSoftflowd(options: SoftflowdOptions): Promise<SoftflowdRun> {
  requireTool('softflowctl');
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  const dir = mkdtempSync(join(tmpdir(), 'flowmap-softflowd-'));
  const ctl = join(dir, 'ctl');
  const sink = await listenUdp(
    options.port ?? 0,
    '127.0.0.1',
    options.forwardTo ? { forwardTo: options.forwardTo } : {},
  );
  const versionArgs = options.version === 9 ? ['-v', '9', '-a'] : ['-v', '10', '-A', 'milli'];
  const args = [
    '-r',
    options.pcap,
    '-n',
    `127.0.0.1:${sink.port}`,
    ...versionArgs,
    '-d',
    '-p',
    join(dir, 'pid'),
    '-c',
    ctl,
  ];
  const child = spawn(requireTool('softflowd'), [...args, ...(options.extraArgs ?? [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = waitForExit(child, `softflowd ${args.join(' ')}`, timeoutMs);
  exited.catch(() => undefined); // observed below; avoid an unhandled rejection while polling
  try {
    const statistics = await pollUntilProcessed(ctl, options.packets, deadline, () => child.exitCode !== null);
    await runTool('softflowctl', ['-c', ctl, 'shutdown'], { timeoutMs: 5000 });
    const result = await exited;
    await sink.settle(300, Math.max(500, deadline - Date.now()));
    return {
      datagrams: [...sink.datagrams],
      statistics,
      output: result.stdout + result.stderr,
      collectorPort: sink.port,
    };
  } catch (error) {
    await stopChild(child);
    const result = await exited.catch(() => undefined);
    const output = result ? `\n${result.stdout}${result.stderr}` : '';
    throw new Error(`Cannot export "${options.pcap}" with softflowd: ${(error as Error).message}${output}`, {
      cause: error,
    });
  } finally {
    await sink.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function pollUntilProcessed(
  ctl: string,
  packets: number,
  deadline: number,
  exited: () => boolean,
): Promise<string> {
  let last = '';
  while (Date.now() < deadline) {
    if (exited()) throw new Error('softflowd exited before processing the capture');
    const result = await runTool('softflowctl', ['-c', ctl, 'statistics'], { timeoutMs: 5000 }).catch(() => undefined);
    if (result?.code === 0) {
      last = result.stdout;
      const processed = /Packets processed: (\d+)/.exec(last);
      if (processed && Number(processed[1]) >= packets) return last;
    }
    await sleep(100);
  }
  throw new Error(`not all ${packets} packets processed before the deadline; last statistics:\n${last}`);
}
