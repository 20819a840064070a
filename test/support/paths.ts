import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, and the built entry points the black-box tests run. */
export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The built server and CLI of the checkout at `root` (this one, or another for the bench's --baseline). */
export function builtEntries(root: string): { server: string; cli: string } {
  return {
    server: join(root, 'apps/idp/dist/main.js'),
    cli: join(root, 'apps/idp/dist/cli/main.js'),
  };
}

export const { server: serverEntry, cli: cliEntry } = builtEntries(repositoryRoot);
