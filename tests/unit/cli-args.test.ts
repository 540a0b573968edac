import { describe, expect, it } from 'vitest';
import { HELP, parseArgs } from '../../lib/cli/args';

describe('flowforge command line', () => {
  const key = 'telemetry.enabled';
  it.each([
    [['config', 'get', key], { kind: 'get', key, json: false }],
    [['config', 'get', key, '--json'], { kind: 'get', key, json: true }],
    [['config', 'set', key, 'false'], { kind: 'set', key, value: false }],
    [['config', 'set', key, 'true'], { kind: 'set', key, value: true }],
    [['config', 'set', key, 'off'], { kind: 'set', key, value: false }],
  ])('reads %j', (argv, command) => {
    expect(parseArgs(argv)).toEqual(command);
  });

  it('answers help and version anywhere on the line', () => {
    for (const argv of [['--help'], ['-h'], ['help'], ['config', 'set', '--help']])
      expect(parseArgs(argv)).toEqual({ kind: 'help' });
    expect(parseArgs(['--version'])).toEqual({ kind: 'version' });
    expect(HELP).toContain('config set <key> <value>');
    expect(HELP).toContain('Exit codes');
  });

  it.each([
    [[], 'missing a command'],
    [['conifg', 'get'], 'unknown command "conifg"'],
    [['config'], 'missing "get" or "set" after "config"'],
    [['config', 'delete', 'telemetry.enabled'], 'unknown config action "delete" (use get or set)'],
    [['config', 'get'], 'missing a setting name, e.g. telemetry.enabled'],
    [['config', 'get', 'telemetry.enable'], 'unknown setting "telemetry.enable" (known: telemetry.enabled)'],
    [['config', 'get', 'telemetry.enabled', 'extra'], 'config get takes one setting name, got extra "extra"'],
    [['config', 'get', 'telemetry.enabled', '--yaml'], 'unknown option --yaml'],
    [['config', 'set', 'telemetry.enabled'], 'missing the value: flowforge config set telemetry.enabled true|false'],
    [['config', 'set', 'telemetry.enabled', 'maybe'], 'telemetry.enabled must be true or false (got "maybe")'],
    [['config', 'set', 'telemetry.enabled', 'true', 'false'], 'config set takes one value, got extra "false"'],
    [['config', 'set', 'telemetry.enabled', 'true', '--json'], 'unknown option --json'],
  ])('%j is a usage error: %s', (argv, message) => {
    expect(parseArgs(argv)).toEqual({ kind: 'usage', message });
  });
});
