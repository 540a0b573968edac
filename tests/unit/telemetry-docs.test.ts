// TELEMETRY.md must stay true to the code: its field table lists exactly the
// payload schema's fields, its example payload passes the strict schema, and
// the destination, timeout, schedule and retry it names are the code's.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config';
import { resolveTelemetrySetting } from '../../lib/telemetry/setting';
import { BOOT_DELAY_MS, BOOT_QUIET_MS, DAILY_MIN_GAP_MS, DAILY_WINDOW_MS } from '../../lib/telemetry/schedule';
import { HOUR_MS } from '../../lib/time-units';
import { DEFAULT_RETRY_DELAY_MS } from '../../lib/telemetry/send';
import { HISTORY_DAYS, HISTORY_MAX_ROWS } from '../../lib/data/telemetry-sends';
import { payloadFieldPaths, telemetryPayloadSchema } from '../../lib/telemetry/payload-schema';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const doc = readFileSync(path.join(root, 'TELEMETRY.md'), 'utf8');

function section(title: string): string {
  const start = doc.indexOf(`\n## ${title}\n`);
  expect(start, `TELEMETRY.md has a "## ${title}" section`).toBeGreaterThan(-1);
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end === -1 ? undefined : end);
}

/** First-column `code` names of the Markdown table rows in a section. */
function documentedFields(text: string): string[] {
  return [...text.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]);
}

function leafPaths(value: unknown, prefix = ''): string[] {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([key, child]) => leafPaths(child, prefix ? `${prefix}.${key}` : key));
  }
  return [prefix];
}

describe('TELEMETRY.md', () => {
  const collected = section('What is collected');

  it('documents every payload field, in order, and no other', () => {
    expect(documentedFields(collected)).toEqual(payloadFieldPaths());
  });

  it('shows an example payload that the strict schema accepts, with every field', () => {
    const json = /```json\n([\s\S]*?)\n```/.exec(collected)?.[1];
    expect(json, 'an example payload in a ```json block').toBeDefined();
    const example = JSON.parse(json!);
    expect(telemetryPayloadSchema.safeParse(example).success).toBe(true);
    expect(leafPaths(example)).toEqual(payloadFieldPaths());
  });

  it('names the default destination and timeout of the configuration', () => {
    const defaults = loadConfig({ FLOWFORGE_CONFIG: '/nonexistent/flowforge.yml' }).telemetry;
    const where = section('Where it is sent');
    expect(where).toContain(`by default **\`${defaults.url}\`**`);
    expect(where).toContain(`(default **${defaults.timeoutMs}** ms)`);
  });

  it('states the schedule and retry rules the code applies', () => {
    const when = section('When it is sent');
    expect(when).toContain(`**${BOOT_DELAY_MS / 1000} seconds after the platform starts**`);
    expect(when).toContain(`**${BOOT_QUIET_MS / HOUR_MS} hour**`);
    expect(when).toContain(`**${DAILY_MIN_GAP_MS / HOUR_MS} hours**`);
    expect(when).toContain(`within the following hour`);
    expect(DAILY_WINDOW_MS).toBe(HOUR_MS);
    expect(when).toContain(`kept for ${HISTORY_DAYS} days (at most the last ${HISTORY_MAX_ROWS})`);
    expect(section('Where it is sent')).toContain(`**${DEFAULT_RETRY_DELAY_MS / 1000} seconds**`);
  });

  it('lists the ways to turn it off in the order the code applies them', () => {
    const rows = [...section('How to turn it off, and which setting wins').matchAll(/^\| (\d)[^|]*\| ([^|]+)\|/gm)].map(
      (m) => [Number(m[1]), m[2].trim()],
    );
    // env > file > database > default, as resolveTelemetrySetting decides (tests/unit/telemetry-setting.test.ts).
    const winners = ['env', 'file', 'database', 'default'].map((source) => {
      const inputs = {
        env: source === 'env' ? false : undefined,
        file: ['env', 'file'].includes(source) ? false : undefined,
        database: source === 'default' ? null : false,
      };
      return resolveTelemetrySetting(inputs).source;
    });
    expect(winners).toEqual(['env', 'file', 'database', 'default']);
    expect(rows).toEqual([
      [1, 'Environment variable `FLOWFORGE_TELEMETRY`'],
      [2, '`flowforge.yml`'],
      [3, "The platform's database"],
      [4, 'Default'],
    ]);
  });
});
