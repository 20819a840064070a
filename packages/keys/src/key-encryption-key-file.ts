import { randomBytes } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The key-encryption key of the embedded default, and whether this call created it. */
export interface KeyEncryptionKeyFile {
  readonly key: Buffer;
  readonly path: string;
  readonly created: boolean;
  /** True when the file can be read by group or others (it should be 0600). */
  readonly tooOpen: boolean;
}

/**
 * Reads `<dir>/kek`, creating it with 32 random bytes (base64, mode 0600) when absent.
 * Creation uses O_EXCL, so two processes starting together end up with the same key.
 */
export async function loadOrCreateKeyEncryptionKey(dir: string): Promise<KeyEncryptionKeyFile> {
  const path = join(dir, 'kek');
  let created = false;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  try {
    await writeFile(path, `${randomBytes(32).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
    created = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const key = Buffer.from((await readFile(path, 'utf8')).trim(), 'base64');
  if (key.length !== 32) {
    throw new Error(`${path} must hold 32 bytes as base64; it holds ${key.length} bytes`);
  }
  const { mode } = await stat(path);
  return { key, path, created, tooOpen: (mode & 0o077) !== 0 };
}
