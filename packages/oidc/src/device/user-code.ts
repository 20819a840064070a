import { randomInt } from 'node:crypto';

/**
 * RFC 8628 6.1: consonants only, no vowels (no words), and none of the look-alikes (no I/O/0/1).
 * 20 symbols over 8 places give 20^8 ≈ 2^34.6 codes, ample for codes that live minutes behind a
 * rate limit.
 */
export const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
export const USER_CODE_LENGTH = 8;

/** A fresh user code in its canonical form (8 letters, no dash). */
export function generateUserCode(): string {
  let code = '';
  for (let i = 0; i < USER_CODE_LENGTH; i += 1)
    code += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
  return code;
}

/** How a user code is shown and sent: XXXX-XXXX. */
export function displayUserCode(canonical: string): string {
  return `${canonical.slice(0, 4)}-${canonical.slice(4)}`;
}

/**
 * The canonical form of what a person typed: case and dashes (and spaces) do not matter
 * (RFC 8628 6.1). Undefined when it cannot be one of our codes, so that no lookup is spent on it.
 */
export function normalizeUserCode(typed: string): string | undefined {
  const canonical = typed.toUpperCase().replace(/[\s-]/g, '');
  if (canonical.length !== USER_CODE_LENGTH) return undefined;
  for (const char of canonical) if (!USER_CODE_ALPHABET.includes(char)) return undefined;
  return canonical;
}
