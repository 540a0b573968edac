// Process entry of the `flowforge` command (see bin/flowforge.mjs).
import { runCli } from './main';

process.exitCode = await runCli(process.argv.slice(2));
