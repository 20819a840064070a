import { isAbsolute, resolve } from 'node:path';

/** Where a database lives, as understood from its URL. */
export type DatabaseLocation =
  | { readonly provider: 'sqlite'; readonly filename: string }
  | { readonly provider: 'postgresql'; readonly connectionString: string };

const ACCEPTED_FORMS =
  'file:./relative/path.db (relative to the working directory), file:/absolute/path.db, ' +
  'postgresql://user@host:5432/database or postgres://user@host:5432/database';

/**
 * Reads a database URL. SQLite file paths are resolved against `cwd` so that the file does not
 * move when a library later changes directory.
 *
 * @throws Error naming the accepted URL forms when `url` is none of them.
 */
export function parseDatabaseUrl(url: string, cwd: string): DatabaseLocation {
  if (url.startsWith('postgresql://') || url.startsWith('postgres://')) {
    return { provider: 'postgresql', connectionString: url };
  }
  if (url.startsWith('file:')) {
    const path = url.slice('file:'.length);
    // "file://host/..." and query strings are URL features SQLite's own parser would need; a
    // plain path is all this project writes, so anything else is more likely a mistake.
    if (path.length > 0 && !path.startsWith('//') && !path.includes('?')) {
      return { provider: 'sqlite', filename: isAbsolute(path) ? path : resolve(cwd, path) };
    }
  }
  throw new Error(`Unsupported database URL "${redact(url)}". Accepted forms: ${ACCEPTED_FORMS}.`);
}

/** The URL without a password, for error messages. */
function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}
