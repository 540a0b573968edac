// TELEMETRY.md's usage events stay true to the code: its tables list exactly
// the properties each event's schema allows (plus those the PostHog client
// adds), its example is what the sender builds, and the batch size, interval,
// queue limit and back-off it states are the client's.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildEventMessage,
  clientAddedProperties,
  commonPropertiesSchema,
  EVENT_NAMES,
  eventPropertySchemas,
  wireEvent,
  type EventName,
} from '../../lib/events/catalog';
import {
  EVENTS_BACKOFF_MS,
  EVENTS_BATCH_SIZE,
  EVENTS_FLUSH_INTERVAL_MS,
  EVENTS_QUEUE_LIMIT,
} from '../../lib/events/client';
import { POSTHOG_NODE_VERSION } from '../../lib/events/posthog-version';

const doc = readFileSync(path.join(__dirname, '../../TELEMETRY.md'), 'utf8');

function section(title: string, level = '##'): string {
  const start = doc.indexOf(`\n${level} ${title}\n`);
  expect(start, `TELEMETRY.md has a "${level} ${title}" section`).toBeGreaterThan(-1);
  const next = doc.slice(start + 1).search(/\n##+ /);
  return next === -1 ? doc.slice(start) : doc.slice(start, start + 1 + next);
}

const firstColumn = (text: string) => [...text.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]);

describe('TELEMETRY.md usage events', () => {
  it('documents every property of every event, and no other', () => {
    expect(firstColumn(section('Properties of every event', '###'))).toEqual([
      ...Object.keys(commonPropertiesSchema.shape),
      ...Object.keys(clientAddedProperties(POSTHOG_NODE_VERSION)),
    ]);
    expect(firstColumn(section('The events', '###'))).toEqual(
      EVENT_NAMES.flatMap((event) => Object.keys(eventPropertySchemas[event].shape).map((key) => `${event}.${key}`)),
    );
  });

  it('shows an example event exactly as the sender builds it', () => {
    const json = /```json\n([\s\S]*?)\n```/.exec(section('Example event', '###'))?.[1];
    const example = JSON.parse(json!);
    const event = example.event as EventName;
    const own = Object.keys(eventPropertySchemas[event].shape);
    const common = Object.fromEntries(Object.keys(commonPropertiesSchema.shape).map((k) => [k, example.properties[k]]));
    const specific = Object.fromEntries(own.map((k) => [k, example.properties[k]]));
    const built = buildEventMessage(event, specific as never, {
      distinctId: example.distinct_id,
      common: common as never,
    });
    const wire = wireEvent(built, POSTHOG_NODE_VERSION, new Date(example.timestamp), example.uuid);
    expect(JSON.stringify(wire, null, 2)).toBe(json);
  });

  it('states the batching, queue and back-off the client applies', () => {
    const text = section('Usage events');
    expect(text).toContain(`batches of at most **${EVENTS_BATCH_SIZE}**`);
    expect(text).toContain(`every\n**${EVENTS_FLUSH_INTERVAL_MS / 1000} seconds**`);
    expect(text).toContain(`At\nmost **${EVENTS_QUEUE_LIMIT}** events wait`);
    expect(text).toContain(`no batch\nis tried for **${EVENTS_BACKOFF_MS / 1000} seconds**`);
  });
});
