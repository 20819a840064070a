import { randomInt } from 'node:crypto';
import { sha256Hex } from '@idp/oidc';

/** How many recovery codes a person gets at once. */
export const RECOVERY_CODE_COUNT = 10;

/** Lower-case letters and digits without the look-alikes 0/o, 1/l/i. */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
/** Ten characters of 31: about 49.5 bits each, beyond guessing under the factor's lock. */
const LENGTH = 10;

/** Fresh recovery codes, as shown to the person once: `xxxxx-xxxxx`. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    let code = '';
    for (let i = 0; i < LENGTH; i += 1) code += ALPHABET[randomInt(ALPHABET.length)];
    return `${code.slice(0, 5)}-${code.slice(5)}`;
  });
}

/**
 * The code as typed, made comparable: case, spaces and dashes do not matter. Null when it
 * cannot be a recovery code at all.
 */
export function normalizeRecoveryCode(typed: string): string | null {
  const code = typed.toLowerCase().replace(/[\s-]/g, '');
  return code.length === LENGTH && [...code].every((c) => ALPHABET.includes(c)) ? code : null;
}

/**
 * What is stored of a code: its SHA-256. The codes are random with about 50 bits each, so a
 * slow hash buys nothing; the lookup is by hash, so no comparison of secrets happens in code.
 */
export function recoveryCodeHash(normalized: string): string {
  return sha256Hex(`recovery-code:${normalized}`);
}
