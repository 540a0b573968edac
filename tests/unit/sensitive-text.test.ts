// The privacy rule on real values, applied by both sides: the sender's strict
// payload schema and the collector's ping schema must agree on every value.
import { describe, expect, it } from 'vitest';
import { parsePing } from '../../lib/collector/report-schema';
import { telemetryPayloadSchema } from '../../lib/telemetry/payload-schema';
import { findSensitiveText, normaliseText, sanitiseProperties, versionProblem } from '../../lib/sensitive-text';

const ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
const payload = (os: Record<string, string>, env: Record<string, string> = {}) => ({
  instanceId: ID,
  os: { type: 'Linux', release: '6.1.0-18-amd64', arch: 'x64', ...os },
  env: { nodejs: 'v20.20.2', flowforge: '0.1.0', ...env },
  platform: { counts: { users: 3, teams: 1, projects: 2 }, config: { driver: 'sqlite' } },
});
const senderAccepts = (value: unknown) => telemetryPayloadSchema.safeParse(value).success;
const collectorAccepts = (value: unknown) => parsePing(value).ok;

// os.release as os.release() reports it on each system.
const KERNEL_RELEASES = [
  ['Debian 12', '6.1.0-18-amd64'],
  ['Debian 11 cloud', '5.10.0-28-cloud-amd64'],
  ['Debian arm64', '6.1.0-21-arm64'],
  ['Ubuntu 22.04', '5.15.0-105-generic'],
  ['Ubuntu 24.04 AWS', '6.8.0-1015-aws'],
  ['Ubuntu Azure', '6.5.0-1020-azure'],
  ['RHEL / Rocky 9', '5.14.0-427.13.1.el9_4.x86_64'],
  ['RHEL / Rocky 8', '4.18.0-513.24.1.el8_9.x86_64'],
  ['CentOS 7', '3.10.0-1160.119.1.el7.x86_64'],
  ['Fedora 40', '6.8.11-300.fc40.x86_64'],
  ['Amazon Linux 2023', '6.1.79-99.167.amzn2023.x86_64'],
  ['Amazon Linux 2', '5.10.213-201.855.amzn2.x86_64'],
  ['Amazon Linux 2 arm', '4.14.343-261.564.amzn2.aarch64'],
  ['Alpine lts', '6.6.16-0-lts'],
  ['Alpine virt', '6.6.31-0-virt'],
  ['WSL1 (Windows 10)', '4.4.0-19041-Microsoft'],
  ['WSL1 (Windows 11)', '4.4.0-22621-Microsoft'],
  ['WSL2', '5.15.167.4-microsoft-standard-WSL2'],
  ['WSL2 (Docker Desktop on Windows)', '5.15.153.1-microsoft-standard-WSL2'],
  ['WSL2 6.6', '6.6.36.6-microsoft-standard-WSL2'],
  ['WSL2 5.10', '5.10.102.1-microsoft-standard-WSL2'],
  ['WSL2 4.19', '4.19.128-microsoft-standard'],
  ['Docker Desktop on macOS', '6.10.4-linuxkit'],
  ['macOS 14', '23.4.0'],
  ['macOS 15', '24.1.0'],
  ['Windows 11', '10.0.22631'],
  ['Windows 10', '10.0.19045'],
  ['Windows Server 2025', '10.0.26100'],
  ['FreeBSD 14', '14.0-RELEASE-p6'],
  ['FreeBSD 13', '13.3-RELEASE'],
  ['FreeBSD head', '15.0-CURRENT'],
  ['Raspberry Pi OS', '6.6.31+rpt-rpi-v8'],
  ['Arch', '6.9.7-arch1-1'],
  ['GKE COS', '6.1.85+'],
  ['illumos', '5.11'],
];
const NODE_VERSIONS = ['v20.20.2', 'v22.11.0', 'v18.20.4', 'v24.0.0-rc.1', 'v23.0.0-nightly20240901a1b2c3d4e5'];
// Free text that is none of the three: OS names, arches, times of day, timestamps.
const PLAIN_TEXT = [
  'Linux',
  'Darwin',
  'Windows_NT',
  'FreeBSD',
  'x64',
  'arm64',
  '12:30:45',
  '23:59',
  '00:00:00.000',
  '2026-12-01T12:30:45.123Z',
  '2026-12-01 12:30:45+01:00',
  'Tue, 01 Dec 2026 12:30:45 GMT',
  'std::vector',
  'build 1.2.3 at 12:30',
];
// Must be refused wherever it hides: plain, inside text, disguised.
const SENSITIVE: Array<[string, 'email' | 'address' | 'path']> = [
  ['10.0.0.1', 'address'],
  ['192.168.1.10', 'address'],
  ['host 10.0.0.1 unreachable', 'address'],
  ['10.0.0.1:5432', 'address'],
  ['see 172.16.0.9.', 'address'],
  ['ip=10.1.2.3', 'address'],
  ['ip:10.1.2.3', 'address'],
  ['[::1]:443', 'address'],
  ['::1', 'address'],
  ['fe80::1%eth0', 'address'],
  ['2001:db8::8a2e:370:7334', 'address'],
  ['::ffff:192.0.2.1', 'address'],
  ['0010.0.0.1', 'address'],
  ['0x7f.0.0.1', 'address'],
  ['127.000.000.001', 'address'],
  ['１０.０.０.１', 'address'], // fullwidth digits
  ['alice@example.test', 'email'],
  ['victim＠example.test', 'email'], // fullwidth @
  ['victim﹫example.test', 'email'], // small @
  ['mailto:bob@example.test', 'email'],
  ['contact <bob@example.test>', 'email'],
  ['/home/alice', 'path'],
  ['∕home∕alice', 'path'], // U+2215 division slash
  ['⁄etc⁄passwd', 'path'], // U+2044 fraction slash
  ['／etc／passwd', 'path'], // fullwidth solidus
  ['C:\\Users\\alice', 'path'],
  ['~/projects', 'path'],
  ['opened ./data/flowforge.db', 'path'],
];

describe('the privacy rule on real values', () => {
  it('has a table of at least 40 real values', () => {
    expect(KERNEL_RELEASES.length + NODE_VERSIONS.length + PLAIN_TEXT.length + SENSITIVE.length).toBeGreaterThanOrEqual(
      40,
    );
  });

  it.each(KERNEL_RELEASES)('%s kernel release %s is sent and accepted', (_system, release) => {
    expect(versionProblem(release)).toBeNull();
    expect(senderAccepts(payload({ release }))).toBe(true);
    expect(collectorAccepts(payload({ release }))).toBe(true);
  });

  it.each(NODE_VERSIONS)('Node.js %s is sent and accepted', (nodejs) => {
    expect(senderAccepts(payload({}, { nodejs }))).toBe(true);
    expect(collectorAccepts(payload({}, { nodejs }))).toBe(true);
  });

  it.each(PLAIN_TEXT)('plain text %j is sent and accepted', (type) => {
    expect(findSensitiveText(type)).toBeNull();
    expect(senderAccepts(payload({ type }))).toBe(true);
    expect(collectorAccepts(payload({ type }))).toBe(true);
  });

  it.each(SENSITIVE)('%j is refused as %s by both sides, in text and version fields', (value, kind) => {
    expect(findSensitiveText(value)).toBe(kind);
    expect(versionProblem(value)).not.toBeNull();
    for (const fields of [{ type: value }, { release: value }, { arch: value }] as Record<string, string>[]) {
      expect(senderAccepts(payload(fields))).toBe(false);
      expect(collectorAccepts(payload(fields))).toBe(false);
    }
    expect(senderAccepts(payload({}, { flowforge: value }))).toBe(false);
    expect(collectorAccepts(payload({}, { nodejs: value }))).toBe(false);
  });

  it('reads a bare dotted quad in a version field as an address, not a version', () => {
    expect(versionProblem('5.15.167.4')).toBe('must not contain an IP address');
    expect(versionProblem('5.15.167.4-microsoft-standard-WSL2')).toBeNull();
  });

  it('replaces lone surrogates and applies NFKC before storing', () => {
    expect(normaliseText('a\ud800b\udc00c')).toBe('a\ufffdb\ufffdc');
    expect(normaliseText('😀')).toBe('😀');
    expect(normaliseText('ｘ６４')).toBe('x64');
    const parsed = parsePing({ instanceId: ID, os: { type: 'Lin\ud800ux' } });
    expect(parsed.ok && parsed.value.os?.type).toBe('Lin\ufffdux');
  });
});

describe('sanitiseProperties', () => {
  it('drops and counts a __proto__ key instead of letting it set the prototype', () => {
    const result = sanitiseProperties(
      JSON.parse('{"__proto__": {"polluted": "yes"}, "nested": {"__proto__": 1}, "a": "b"}'),
    );
    expect(result.value).toEqual({ a: 'b', nested: {} });
    expect(Object.getPrototypeOf(result.value)).toBe(Object.prototype);
    expect((result.value as { polluted?: string }).polluted).toBeUndefined();
    expect(result.dropped).toBe(2);
  });

  it('drops and counts sensitive properties at any depth, keeps the rest normalised', () => {
    const result = sanitiseProperties({
      command: 'init',
      email: 'alice@example.test',
      nested: { ok: 1, home: '∕home∕alice', list: ['a', '10.0.0.1', 'b'] },
      'alice@example.test': true,
      text: 'ｘ６４\ud800',
      flag: false,
      none: null,
    });
    expect(result.value).toEqual({
      command: 'init',
      nested: { ok: 1, list: ['a', 'b'] },
      text: 'x64\ufffd',
      flag: false,
      none: null,
    });
    expect(result.dropped).toBe(4);
  });

  it('bounds depth, string length and the number of keys', () => {
    const deep = { a: { b: { c: { d: { e: 1 } } } } };
    expect(sanitiseProperties(deep)).toEqual({ value: { a: { b: { c: {} } } }, dropped: 1 });
    expect(sanitiseProperties({ long: 'x'.repeat(1001) }).dropped).toBe(1);
    const many = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, i]));
    const result = sanitiseProperties(many);
    expect(Object.keys(result.value)).toHaveLength(200);
    expect(result.dropped).toBe(100);
  });
});
