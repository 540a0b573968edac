// The one privacy rule for text that telemetry sends or the collector stores:
// no email, no network address, no file path. Used by the sender's payload
// schema, the collector's ping schema and every string a PostHog event stores.
//
// The rule is exact rather than "looks like": text is normalised first (lone
// UTF-16 surrogates become U+FFFD, then NFKC, so a fullwidth ＠ is an @), cut
// into tokens at whitespace and brackets, and a token is an address when
// `node:net` isIP says so (after a port or trailing punctuation is taken off)
// or when it is a dotted-quad that inet_aton would read (0010.0.0.1 is
// 8.0.0.1, 0x7f.0.0.1 is 127.0.0.1). So a kernel release such as
// 5.15.167.4-microsoft-standard-WSL2 (one token, not an address) or a time of
// day such as 12:30:45 passes, and ::1 does not.
import { isIP } from 'node:net';
import { z } from 'zod';

export type SensitiveKind = 'email' | 'address' | 'path';

/** Characters that draw a slash and that NFKC leaves alone (U+2215 DIVISION SLASH, U+2044 FRACTION SLASH, ...). */
const SLASH_LIKE = /[/\\\u2044\u2215\u2216\u29F5\u29F8\u29F9\u2CC6\u3033\u30CE\u31D3\u4E3F]/u;
/** Tokens end at whitespace, quotes, brackets and separators that never sit inside an address, email or path. */
const TOKEN_SEPARATORS = /[\s"'`()<>[\]{},;=|]+/u;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** ASCII letters, digits, space, _ and -: no address, email or path can be written with these alone. */
const PLAIN_WORDS = /^[A-Za-z0-9 _-]*$/;
/** A lone high or low surrogate (JSON can carry them as \ud800; UTF-8 cannot store them). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * The form every checked string is stored in: lone surrogates replaced by
 * U+FFFD (both databases then store the same valid UTF-8), then NFKC.
 */
export function normaliseText(value: string): string {
  if (PRINTABLE_ASCII.test(value)) return value; // NFKC leaves printable ASCII as it is
  return value.replace(LONE_SURROGATE, '\uFFFD').normalize('NFKC');
}

/** The first kind of sensitive text found in `value`, or null. The value is normalised first. */
export function findSensitiveText(value: string): SensitiveKind | null {
  // Most texts (names, counts, flags) hold none of . : @ / \ and so cannot be any of the three.
  if (PLAIN_WORDS.test(value)) return null;
  const text = normaliseText(value);
  if (SLASH_LIKE.test(text)) return 'path';
  for (const token of text.split(TOKEN_SEPARATORS)) {
    if (!token) continue;
    if (/[^@]@[^@]/.test(token) || /^[^@]+@$/.test(token)) return 'email';
    if (isAddressToken(token)) return 'address';
  }
  return null;
}

/** Reads a token as an address the way resolvers and inet_aton would, with a port or trailing punctuation removed. */
export function isAddressToken(token: string): boolean {
  const candidates = new Set<string>([token]);
  const trimmed = token.replace(/[.:!?]+$/, '');
  candidates.add(trimmed);
  // 10.0.0.1:8080 -> 10.0.0.1 (an IPv6 address with a port comes in brackets, which split the token)
  const withoutPort = /^([^:]+):\d{1,5}$/.exec(trimmed);
  if (withoutPort) candidates.add(withoutPort[1]);
  // ip:10.0.0.1 or host=db:10.0.0.1 -> each colon-separated part that could be an IPv4 address
  if (trimmed.includes('.') && trimmed.includes(':')) for (const part of trimmed.split(':')) candidates.add(part);
  for (const candidate of candidates) {
    if (isIP(candidate) !== 0 || isInetAtonQuad(candidate)) return true;
  }
  return false;
}

/**
 * Four dot-separated numbers, each decimal, octal (leading 0) or hex (0x), each
 * a byte: what inet_aton, ping and most URL parsers accept as an IPv4 address
 * although isIP does not (0010.0.0.1, 010.000.000.001, 0x7f.0.0.1).
 * Shorter forms (1.2, 20.20.2) are versions far more often and stay allowed.
 */
function isInetAtonQuad(candidate: string): boolean {
  const parts = candidate.split('.');
  if (parts.length !== 4) return false;
  return parts.every((part) => {
    if (/^0x[0-9a-f]{1,2}$/i.test(part)) return true;
    if (!/^\d{1,4}$/.test(part)) return false;
    const value = part.length > 1 && part.startsWith('0') && /^[0-7]+$/.test(part) ? parseInt(part, 8) : Number(part);
    return value <= 255;
  });
}

/**
 * Kernel releases, runtime and product versions: v20.20.2, 6.1.0-18-amd64, 14.0-RELEASE-p6,
 * 5.14.0-427.13.1.el9_4.x86_64.
 */
const VERSION = /^v?[0-9A-Za-z](?:[0-9A-Za-z._+~-]{0,99})$/;

/** Why a version string is refused (sensitive text first, then the version grammar), or null. */
export function versionProblem(value: string): string | null {
  const text = normaliseText(value);
  const sensitive = findSensitiveText(text);
  if (sensitive) return SENSITIVE_MESSAGES[sensitive];
  if (!VERSION.test(text)) return 'must be a version (letters, digits and . _ + ~ -)';
  return null;
}

export const SENSITIVE_MESSAGES: Record<SensitiveKind, string> = {
  email: 'must not contain an email address',
  address: 'must not contain an IP address',
  path: 'must not contain a file path',
};

/** A short text field: normalised, and refused when it holds an email, an address or a path. */
export function safeTextSchema(maxLength = 100) {
  return z
    .string()
    .max(maxLength)
    .transform(normaliseText)
    .superRefine((text, context) => {
      const kind = findSensitiveText(text);
      if (kind) context.addIssue({ code: 'custom', message: SENSITIVE_MESSAGES[kind] });
    });
}

/** A version field (kernel release, Node.js, FlowForge): checked as a version, not as free text. */
export function versionTextSchema() {
  return z
    .string()
    .max(100)
    .transform(normaliseText)
    .superRefine((text, context) => {
      const problem = versionProblem(text);
      if (problem) context.addIssue({ code: 'custom', message: problem });
    });
}

/** Limits of what a sanitised object keeps. */
export interface SanitiseLimits {
  maxDepth: number;
  maxKeys: number;
  maxStringLength: number;
  maxKeyLength: number;
}

export const EVENT_PROPERTY_LIMITS: SanitiseLimits = {
  maxDepth: 4,
  maxKeys: 200,
  maxStringLength: 1000,
  maxKeyLength: 200,
};

export interface Sanitised {
  value: Record<string, unknown>;
  /** How many properties (at any depth) were dropped: sensitive text in a key or value, or beyond the limits. */
  dropped: number;
}

/**
 * The properties of an event as they may be stored: every key and string
 * normalised; a property whose key or text is sensitive (an email, an address
 * or a path, anywhere inside it) is dropped and counted, as is one nested
 * deeper than maxDepth, a string longer than maxStringLength, or keys beyond
 * maxKeys. The event itself is kept: one odd property should not cost the rest.
 */
export function sanitiseProperties(
  properties: Record<string, unknown>,
  limits: SanitiseLimits = EVENT_PROPERTY_LIMITS,
): Sanitised {
  let dropped = 0;
  let keys = 0;
  const clean = (value: unknown, depth: number): { keep: true; value: unknown } | { keep: false } => {
    if (typeof value === 'string') {
      if (value.length > limits.maxStringLength || findSensitiveText(value)) return { keep: false };
      return { keep: true, value: normaliseText(value) };
    }
    if (value === null || typeof value === 'boolean') return { keep: true, value };
    if (typeof value === 'number') return Number.isFinite(value) ? { keep: true, value } : { keep: false };
    if (depth >= limits.maxDepth) return { keep: false }; // the container would be one level too deep
    if (Array.isArray(value)) {
      const items: unknown[] = [];
      for (const item of value) {
        if (keys >= limits.maxKeys) {
          dropped += 1;
          continue;
        }
        keys += 1;
        const result = clean(item, depth + 1);
        if (result.keep) items.push(result.value);
        else dropped += 1;
      }
      return { keep: true, value: items };
    }
    if (typeof value === 'object')
      return { keep: true, value: cleanObject(value as Record<string, unknown>, depth + 1) };
    return { keep: false };
  };
  const cleanObject = (object: Record<string, unknown>, depth: number): Record<string, unknown> => {
    const result: Record<string, unknown> = {};
    for (const [rawKey, item] of Object.entries(object)) {
      if (keys >= limits.maxKeys) {
        dropped += 1;
        continue;
      }
      keys += 1;
      const key = normaliseText(rawKey);
      // `__proto__` would set the result's prototype rather than add a property: lost from the
      // stored JSON without being counted, and inherited by every read of the object in memory.
      if (key.length > limits.maxKeyLength || key === '__proto__' || findSensitiveText(key)) {
        dropped += 1;
        continue;
      }
      const cleaned = clean(item, depth);
      if (cleaned.keep) result[key] = cleaned.value;
      else dropped += 1;
    }
    return result;
  };
  return { value: cleanObject(properties, 1), dropped };
}
