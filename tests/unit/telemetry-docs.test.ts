// TELEMETRY.md must stay true to the code: its field table lists exactly the
// payload schema's fields, its example payload passes the strict schema, and
// the destination and timeout it names are the configuration's defaults.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config';
import { resolveTelemetrySetting } from '../../lib/telemetry/setting';
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

  it('lists the ways to turn it off in the order the code applies them', () => {
    const rows = [...section('How to turn it off, and which setting wins').matchAll(/^\| (\d)[^|]*\| ([^|]+)\|/gm)].map((m) => [Number(m[1]), m[2].trim()]);
    // env > file > database > default, as resolveTelemetrySetting decides (tests/unit/telemetry-setting.test.ts).
    const winners = ['env', 'file', 'database', 'default'].map((source) => {
      const inputs = { env: source === 'env' ? false : undefined, file: ['env', 'file'].includes(source) ? false : undefined, database: source === 'default' ? null : false };
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
