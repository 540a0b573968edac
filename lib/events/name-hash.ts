// Names that must be counted but never revealed (none is sent today; this is
// the helper for the first one): HMAC-SHA-256 keyed with a secret made once per
// platform and kept in its database, cut to 16 hex characters. The same name
// gives the same token on this platform, so it can be counted; without the
// secret nobody can test guesses against it, and two platforms' tokens for the
// same name differ.
import { createHmac } from 'node:crypto';

export const NAME_HASH_LENGTH = 16;

export function hashName(secret: string, name: string): string {
  if (secret.length < 32) throw new Error('the name-hashing secret must be at least 32 characters');
  // NFKC: visually identical spellings of a name count as one.
  return createHmac('sha256', secret).update(name.normalize('NFKC'), 'utf8').digest('hex').slice(0, NAME_HASH_LENGTH);
}
