import { createHash } from 'node:crypto';

/** The checksum Prisma records for a migration: SHA-256 of migration.sql, hex. */
export function migrationChecksum(script: string): string {
  return createHash('sha256').update(script).digest('hex');
}

/**
 * Whether `script` is the one that was recorded with `checksum`. Like Prisma, line endings do not
 * count: git may check the same file out with CRLF on one machine and LF on another.
 */
export function matchesChecksum(script: string, checksum: string): boolean {
  const lf = script.replace(/\r\n/g, '\n');
  return [script, lf, lf.replace(/\n/g, '\r\n')].some(
    (variant) => migrationChecksum(variant) === checksum,
  );
}
