import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A clean environment for one server or CLI process: nothing inherited but what Node needs, so
 * a developer's own DATABASE_URL or IDP_* settings never leak into a test.
 */
export async function isolatedEnvironment(
  settings: Record<string, string>,
): Promise<Record<string, string>> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    IDP_KEYS_DIR: await mkdtemp(join(tmpdir(), 'idp-keys-')),
    ...settings,
  };
}

/** A key-encryption key shared by processes that must read each other's keys. */
export function keyEncryptionKey(): string {
  return randomBytes(32).toString('base64');
}
