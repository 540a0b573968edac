// One hostile client of bench/hostile.ts, in a process of its own so that the
// load it generates never shares the measuring process's event loop. Posts, one
// after the other until SIGTERM, alternately 1 MB of 500,000 zeros in one event
// property to /capture/ (refused, 413) and a valid 1 MB /batch/ of 500 events
// (stored), the bodies of tests/e2e/collector-hostile.spec.ts; then prints the
// answers it got as JSON ({"413": n, "200": m}) and exits.
//
//   node --import tsx bench/hostile-client.ts <base url> <client number>
import { validBatchBody, ZEROS_BODY } from '../tests/helpers/hostile-bodies';

const [baseUrl, clientNumber] = process.argv.slice(2);
let running = true;
process.once('SIGTERM', () => (running = false));
const answers: Record<string, number> = {};
for (let i = Number(clientNumber); running; i++) {
  const hostile = i % 2 === 0;
  try {
    const response = await fetch(`${baseUrl}${hostile ? '/capture/' : '/batch/'}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: hostile ? ZEROS_BODY : validBatchBody(),
    });
    await response.arrayBuffer();
    answers[response.status] = (answers[response.status] ?? 0) + 1;
  } catch {
    answers.error = (answers.error ?? 0) + 1;
  }
}
console.log(JSON.stringify(answers));
