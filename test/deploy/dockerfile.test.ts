/**
 * deploy/Dockerfile, checked structurally (no Docker engine here): multi-stage from node:20-bookworm-slim, the
 * runtime stage runs as a non-root user with only production dependencies, exposes the collector and HTTP ports,
 * runs `node dist/cli/main.js serve`, and every file the build copies exists and is not ignored by .dockerignore.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './render.js';

interface Instruction {
  readonly op: string;
  readonly args: string;
}

/** instructions per stage, with line continuations joined and comments dropped */
function parseDockerfile(text: string) {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const args = new Map<string, string>();
  const stages: { name: string; from: string; body: Instruction[] }[] = [];
  for (const line of lines) {
    const [op, ...rest] = line.split(/\s+/);
    const instruction = { op: op!.toUpperCase(), args: rest.join(' ') };
    if (instruction.op === 'ARG' && stages.length === 0) {
      const [k, v] = instruction.args.split('=');
      args.set(k!, v ?? '');
    } else if (instruction.op === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args)!;
      const from = m[1]!.replace(/\$\{(\w+)\}/g, (_, k: string) => args.get(k) ?? '');
      stages.push({ name: m[2] ?? String(stages.length), from, body: [] });
    } else stages[stages.length - 1]?.body.push(instruction);
  }
  return stages;
}

function ignored(patterns: readonly string[], path: string): boolean {
  return patterns.some((p) => {
    const body = p
      .replace(/\./g, '\\.')
      .replace(/\*\*\//g, '\u0001')
      .replace(/\*/g, '[^/]*')
      .split('\u0001')
      .join('(.*/)?');
    const re = new RegExp(`^${body}(/.*)?$`);
    return re.test(path);
  });
}

describe('deploy/Dockerfile', () => {
  const stages = parseDockerfile(readFileSync(join(REPO_ROOT, 'deploy/Dockerfile'), 'utf8'));
  const runtime = stages[stages.length - 1]!;
  const ops = (op: string) => runtime.body.filter((i) => i.op === op).map((i) => i.args);

  it('builds in one stage and runs from another, both node:20-bookworm-slim', () => {
    expect(stages.map((s) => s.name)).toEqual(['build', 'runtime']);
    for (const s of stages) expect(s.from).toBe('node:20-bookworm-slim');
    for (const copy of ops('COPY')) expect(copy).toMatch(/^--from=build\s/);
  });

  it('installs dev dependencies only in the build stage and prunes them before the runtime copies node_modules', () => {
    const build = stages[0]!.body
      .filter((i) => i.op === 'RUN')
      .map((i) => i.args)
      .join(' && ');
    expect(build).toContain('npm ci');
    expect(build).toContain('npm run build');
    expect(build).toMatch(/npm prune --omit=dev/);
    expect(build.indexOf('npm prune')).toBeGreaterThan(build.indexOf('npm run build'));
    expect(ops('RUN').join(' ')).not.toMatch(/npm (ci|install|i)\b/);
    expect(ops('COPY').some((c) => c.includes('/src/node_modules'))).toBe(true);
  });

  it('runs as a non-root user', () => {
    const users = ops('USER');
    expect(users.length).toBe(1);
    expect(users[0]).not.toMatch(/^(root|0)(:|$)/);
    expect(Number(users[0]!.split(':')[0])).toBeGreaterThan(999);
  });

  it('exposes UDP 2055/4739/6343 and TCP 4739/8080, and runs "node dist/cli/main.js serve"', () => {
    expect(ops('EXPOSE').join(' ').split(/\s+/).sort()).toEqual([
      '2055/udp',
      '4739/tcp',
      '4739/udp',
      '6343/udp',
      '8080/tcp',
    ]);
    const entrypoint = JSON.parse(ops('ENTRYPOINT')[0]!) as string[];
    const cmd = JSON.parse(ops('CMD')[0]!) as string[];
    expect([...entrypoint, ...cmd]).toEqual(['node', 'dist/cli/main.js', 'serve']);
    expect(ops('HEALTHCHECK').join(' ')).toContain('/healthz');
  });

  it('copies only files that exist and that .dockerignore keeps in the context, and ignores the heavy folders', () => {
    const patterns = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const heavy of ['node_modules', 'dist', '.git', 'web/dist', 'test', 'src/demo/x.test.ts'])
      expect(ignored(patterns, heavy), heavy).toBe(true);
    const sources = stages[0]!.body.filter((i) => i.op === 'COPY').flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    expect(sources.length).toBeGreaterThan(3);
    for (const source of sources) {
      expect(existsSync(join(REPO_ROOT, source)), source).toBe(true);
      expect(ignored(patterns, source), source).toBe(false);
    }
    for (const needed of ['src/cli/main.ts', 'web/index.html', 'package-lock.json'])
      expect(ignored(patterns, needed), needed).toBe(false);
  });
});
