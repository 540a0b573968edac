// Process entry of the `flowforge` command (see bin/flowforge.mjs).
import { main } from './main';

process.exitCode = await main(process.argv.slice(2));
