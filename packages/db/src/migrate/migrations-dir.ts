import { fileURLToPath } from 'node:url';
import { providerFolder, type Provider } from '../provider.js';

/**
 * The committed migrations of a provider: prisma/<provider>/migrations at the repository root.
 * This module sits at the same depth in src/ (run by tsx) and dist/, so one relative path serves
 * both.
 */
export function defaultMigrationsDir(provider: Provider): string {
  return fileURLToPath(
    new URL(`../../../../prisma/${providerFolder(provider)}/migrations`, import.meta.url),
  );
}
