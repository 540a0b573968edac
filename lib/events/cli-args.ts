// The arguments of a `flowforge` command as the cli_command event carries
// them: flag names and the CLI's own words are kept, everything an operator
// typed as a value is replaced. A file path becomes <path>, any other value
// <value> (URLs included: they may hold credentials), and the value of a
// secret flag (--password, --token, --api-key, ...) <redacted>, whether it
// follows as `--token=x` or as the next argument. Pure, tested on a table of
// real command lines.

export const PLACEHOLDER = { value: '<value>', path: '<path>', redacted: '<redacted>' } as const;

// A flag whose name contains one of these carries a secret (--db-password, --auth-token, --api-key, ...).
const SECRET_FLAG_PARTS = [
  'password',
  'passwd',
  'pass',
  'pwd',
  'token',
  'secret',
  'key',
  'auth',
  'credential',
  'cookie',
  'session',
  'private',
];

const FLAG = /^(--?)([A-Za-z0-9][A-Za-z0-9_.-]{0,39})$/;

function isSecretFlag(name: string): boolean {
  const words = name.toLowerCase().split(/[-_.]/);
  const joined = words.join('');
  return SECRET_FLAG_PARTS.some((part) => words.includes(part) || joined.includes(part));
}

function unquote(value: string): string {
  const trimmed = value.trim();
  const quoted = /^(['"])([\s\S]*)\1$/.exec(trimmed);
  return quoted ? quoted[2] : trimmed;
}

/** True for what a shell or an operator would call a file path, on any system. */
export function looksLikePath(raw: string): boolean {
  const value = unquote(raw);
  if (/^file:/i.test(value)) return true;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return false; // a URL: a value
  return (
    /^[A-Za-z]:[\\/]/.test(value) || // C:\ or C:/
    /^\\\\/.test(value) || // \\server\share
    /^~(?:[\\/]|$)/.test(value) ||
    /^\.{1,2}(?:[\\/]|$)/.test(value) ||
    /[\\/]/.test(value) ||
    /\.(?:ya?ml|json|db|sqlite3?|sql|env|txt|log|pem|key|crt|conf|cfg|ini|toml)$/i.test(value)
  );
}

function placeholder(value: string, secret: boolean): string {
  if (secret) return PLACEHOLDER.redacted;
  return looksLikePath(value) ? PLACEHOLDER.path : PLACEHOLDER.value;
}

/**
 * Sanitises argv (without "node" and the script). `knownWords` are the CLI's
 * own commands and setting names, kept as typed; anything else is a value.
 */
export function sanitiseCliArguments(argv: readonly string[], knownWords: ReadonlySet<string>): string[] {
  const out: string[] = [];
  let secretNext = false;
  let afterDoubleDash = false;
  for (const arg of argv.slice(0, 50)) {
    if (afterDoubleDash) {
      out.push(placeholder(arg, false));
      continue;
    }
    if (arg === '--') {
      afterDoubleDash = true;
      secretNext = false;
      out.push('--');
      continue;
    }
    const eq = arg.indexOf('=');
    const flagPart = arg.startsWith('-') && eq > 0 ? arg.slice(0, eq) : arg;
    const flag = /^-\d/.test(arg) ? null : FLAG.exec(flagPart); // -5 is a number, not a flag
    if (flag && arg.startsWith('-')) {
      const secret = isSecretFlag(flag[2]);
      if (eq > 0) {
        out.push(`${flagPart}=${placeholder(arg.slice(eq + 1), secret)}`);
        secretNext = false;
      } else {
        out.push(flagPart);
        secretNext = secret; // `--password hunter2`: the next argument is the secret
      }
      continue;
    }
    if (arg.startsWith('-') && !/^-\d/.test(arg) && arg !== '-') {
      // A flag we cannot name safely (odd characters, too long): its value may be inside it.
      out.push(PLACEHOLDER.value);
      secretNext = false;
      continue;
    }
    if (secretNext) {
      out.push(PLACEHOLDER.redacted);
      secretNext = false;
      continue;
    }
    out.push(knownWords.has(arg) ? arg : placeholder(arg, false));
  }
  return out;
}
