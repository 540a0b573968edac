import { describe, expect, it } from 'vitest';
import { HELP, parseArgs } from '../../lib/cli/args';

describe('flowforge command line', () => {
  it('reads get and set', () => {
    expect(parseArgs(['config', 'get', 'telemetry.enabled'])).toEqual({ kind: 'get', key: 'telemetry.enabled', json: false });
    expect(parseArgs(['config', 'get', 'telemetry.enabled', '--json'])).toEqual({ kind: 'get', key: 'telemetry.enabled', json: true });
    expect(parseArgs(['config', 'set', 'telemetry.enabled', 'false'])).toEqual({ kind: 'set', key: 'telemetry.enabled', value: false });
    expect(parseArgs(['config', 'set', 'telemetry.enabled', 'true'])).toEqual({ kind: 'set', key: 'telemetry.enabled', value: true });
    expect(parseArgs(['config', 'set', 'telemetry.enabled', 'off'])).toEqual({ kind: 'set', key: 'telemetry.enabled', value: false });
  });

  it('answers help and version anywhere on the line', () => {
    for (const argv of [['--help'], ['-h'], ['help'], ['config', 'set', '--help']]) expect(parseArgs(argv)).toEqual({ kind: 'help' });
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
