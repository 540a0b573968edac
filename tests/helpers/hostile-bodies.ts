// The bodies of the hostile-load measurements (tests/e2e/collector-hostile.spec.ts and
// bench/hostile.ts's clients): one place, so the e2e budget and the benchmark measure one load.
import { randomUUID } from 'node:crypto';

/** 1 MB of 500,000 zeros in one event property: refused (413) for about the cost of reading it. */
export const ZEROS_BODY = JSON.stringify({
  event: 'x',
  distinct_id: 'hostile',
  properties: { p: new Array(500_000).fill(0) },
});

/** A valid /batch/ of 500 events, about 1 MB: stored in one transaction. */
export function validBatchBody(): string {
  const filler = 'a'.repeat(1900);
  return JSON.stringify({
    api_key: 'k',
    batch: Array.from({ length: 500 }, (_, i) => ({
      event: 'cli_command',
      distinct_id: 'heavy-sender',
      uuid: randomUUID(),
      properties: { command: `c${i}`, note: filler, success: true },
    })),
  });
}
