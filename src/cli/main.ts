#!/usr/bin/env node
/**
 * `flowmap <command> [options]`: the command-line entry point. Each command lives in `commands/<name>.ts` and
 * exports `run(argv): Promise<number>` (the exit status); this file only dispatches.
 * @module
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tuneV8ForFlows } from '../app/v8-tuning.js';

interface Command {
  readonly summary: string;
  readonly load: () => Promise<{ run(argv: string[]): Promise<number> }>;
}

const COMMANDS: Record<string, Command> = {
  demo: { summary: 'a live map of a simulated cluster (start here)', load: () => import('./commands/demo.js') },
  serve: {
    summary: 'collect flows and serve the live map, API and /metrics',
    load: () => import('./commands/serve.js'),
  },
  map: { summary: 'turn a cluster snapshot and flow captures into the map', load: () => import('./commands/map.js') },
  decode: { summary: 'print the flow records of captures as JSON lines', load: () => import('./commands/decode.js') },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`);
  return `Usage: flowmap <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun "flowmap <command> --help" for a command's options.`;
}

/** runs the command named by argv[0] and resolves to the exit status */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`Cannot run command "${name}": unknown command\n\n${usage()}`);
    return 2;
  }
  const module = await command.load();
  return module.run(rest);
}

const invokedDirectly =
  process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
if (invokedDirectly) {
  tuneV8ForFlows();
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exitCode = 1;
    },
  );
}
