import { randomBytes } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { KeyError } from './key-error.js';
import type { SigningKeyStore } from './signing-key-store.js';

/** The key-encryption key of the embedded default, and whether this call created it. */
export interface KeyEncryptionKeyFile {
  readonly key: Buffer;
  readonly path: string;
  readonly created: boolean;
  /** True when the file can be read by group or others (it should be 0600). */
  readonly tooOpen: boolean;
}

/**
 * Reads `<dir>/kek`. When it is absent, creates it with 32 random bytes (base64, mode 0600), but
 * only while `store` holds no signing key at all: keys already stored were encrypted under
 * another key-encryption key, and a new one would only hide that the folder is the wrong one
 * (a process started from another directory, a mistyped IDP_KEYS_DIR). Then it throws a
 * `KeyError` ('key_encryption_key_missing') and creates nothing.
 * Creation uses O_EXCL, so two processes starting together end up with the same key.
 */
export async function loadOrCreateKeyEncryptionKey(
  dir: string,
  store: Pick<SigningKeyStore, 'list'>,
): Promise<KeyEncryptionKeyFile> {
  const path = join(dir, 'kek');
  let text = await readIfPresent(path);
  let created = false;
  if (text === null) {
    const stored = (await store.list()).length;
    if (stored > 0) throw missing(dir, path, stored);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    try {
      await writeFile(path, `${randomBytes(32).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
      created = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    text = await readFile(path, 'utf8');
  }
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32) {
    throw new Error(`${path} must hold 32 bytes as base64; it holds ${key.length} bytes`);
  }
  const { mode } = await stat(path);
  return { key, path, created, tooOpen: (mode & 0o077) !== 0 };
}

async function readIfPresent(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function missing(dir: string, path: string, stored: number) {
  const setting = isAbsolute(dir)
    ? `IDP_KEYS_DIR=${dir}`
    : `IDP_KEYS_DIR=${dir}, relative to the working directory ${process.cwd()}`;
  const [keys, they] =
    stored === 1 ? ['1 signing key', 'it was'] : [`${stored} signing keys`, 'they were'];
  return new KeyError(
    'key_encryption_key_missing',
    `no key-encryption key: IDP_KEY_ENCRYPTION_KEY is unset and ${resolve(path)} (${setting}) ` +
      `does not exist, but the database holds ${keys}, which cannot be decrypted without the ` +
      `key-encryption key ${they} stored with. Set IDP_KEY_ENCRYPTION_KEY to that key, or ` +
      'IDP_KEYS_DIR to the folder holding its kek file; no new key-encryption key was created.',
  );
}
