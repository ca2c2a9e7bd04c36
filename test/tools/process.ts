/**
 * Running the system tools the end-to-end tests rely on (softflowd, nfcapd/nfdump, tshark): finding them, running
 * them with a deadline, and killing what outlives its test.
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, it } from 'vitest';

/** the Debian package that ships each tool (the project's test setup installs them) */
const PACKAGE_OF: Readonly<Record<string, string>> = {
  softflowd: 'softflowd',
  softflowctl: 'softflowd',
  nfcapd: 'nfdump',
  nfdump: 'nfdump',
  tshark: 'tshark',
  tcpdump: 'tcpdump',
  prometheus: 'prometheus',
  promtool: 'prometheus',
  chromium: 'chromium',
  kubectl: 'kubernetes-client',
};

const SEARCH_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** absolute path of `tool`, or undefined when it is not installed */
export function findTool(tool: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...SEARCH_PATH];
  for (const dir of dirs) {
    if (!dir) continue;
    const path = join(dir, tool);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** the path of `tool`; throws a message saying how to install it when it is missing */
export function requireTool(tool: string): string {
  const path = findTool(tool);
  if (path) return path;
  const pkg = PACKAGE_OF[tool] ?? tool;
  throw new Error(`Cannot run "${tool}": not installed (apt-get install -y --no-install-recommends ${pkg})`);
}

export interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly timeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

/** runs `tool args` to completion; rejects (after killing it) when it outlives `timeoutMs` */
export function runTool(tool: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const child = spawn(requireTool(tool), args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.env ? { env: options.env } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  return waitForExit(child, `${tool} ${args.join(' ')}`, options.timeoutMs ?? 30_000);
}

/** collects a child's output and resolves when it exits; kills it and rejects after `timeoutMs` */
export function waitForExit(child: ChildProcess, label: string, timeoutMs: number): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Cannot finish "${label}": still running after ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`Cannot run "${label}": ${error.message}`, { cause: error }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** stops a child we started: SIGTERM, then SIGKILL if it is still there after `graceMs` */
export async function stopChild(child: ChildProcess, graceMs = 2000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** the tools of `tools` that are not installed */
export function missingTools(tools: readonly string[]): string[] {
  return tools.filter((tool) => !findTool(tool));
}

const missingMessage = (name: string, missing: readonly string[]) =>
  `Cannot run "${name}": ${missing.map((t) => `${t} (apt package ${PACKAGE_OF[t] ?? t})`).join(', ')} not installed; ` +
  'npm run test:all installs them';

/**
 * describe() that needs system tools: skipped with the reason when one is missing on a developer machine, but a
 * failing test under CI=true, where `npm run test:all` has installed them and a missing tool is a broken setup.
 */
export function describeWithTools(tools: readonly string[], name: string, body: () => void): void {
  const missing = missingTools(tools);
  if (missing.length === 0) describe(name, body);
  else if (process.env.CI === 'true') {
    describe(name, () => {
      it('has its tools', () => {
        throw new Error(missingMessage(name, missing));
      });
    });
  } else describe.skip(`${name} (skipped: ${missing.join(', ')} not installed)`, body);
}

/** it() with the same rule as describeWithTools */
export function itWithTools(tools: readonly string[], name: string, body: () => unknown, timeout?: number): void {
  const missing = missingTools(tools);
  if (missing.length === 0) it(name, body, timeout);
  else if (process.env.CI === 'true') {
    it(name, () => {
      throw new Error(missingMessage(name, missing));
    });
  } else it.skip(`${name} (skipped: ${missing.join(', ')} not installed)`, body);
}
