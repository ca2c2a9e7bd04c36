/**
 * `npm run bench [filter]`: runs every `*.bench.ts` under src/ and test/ in its own process, one after another,
 * so that one benchmark's garbage and JIT state never weigh on the next.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, relative } from 'node:path';

function find(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist') continue;
    if (statSync(path).isDirectory()) out.push(...find(path));
    else if (name.endsWith('.bench.ts')) out.push(path);
  }
  return out;
}

const filter = process.argv[2];
const files = [...find('src'), ...find('test')].filter((f) => !filter || f.includes(filter)).sort();
console.log(
  `# node ${process.version}, ${cpus()[0]?.model ?? 'unknown cpu'} x${cpus().length}, ${new Date().toISOString()}`,
);
let failed = 0;
for (const file of files) {
  console.log(`\n## ${relative('.', file)}`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', file], { stdio: 'inherit' });
  if (run.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
