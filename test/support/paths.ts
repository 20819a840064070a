import { fileURLToPath } from 'node:url';

/** The repository root, and the built entry points the black-box tests run. */
export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
export const serverEntry = fileURLToPath(new URL('../../apps/idp/dist/main.js', import.meta.url));
export const cliEntry = fileURLToPath(new URL('../../apps/idp/dist/cli/main.js', import.meta.url));
