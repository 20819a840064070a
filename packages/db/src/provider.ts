/** The database kinds the identity provider runs on, named as Prisma's datasource providers. */
export type Provider = 'sqlite' | 'postgresql';

/** Every provider, in the order tests and scripts visit them. */
export const PROVIDERS: readonly Provider[] = ['sqlite', 'postgresql'];

/**
 * The folder holding a provider's schema and migrations under the repository's prisma/ (and its
 * client under src/generated/): Prisma names the provider "postgresql", the folders say "postgres".
 */
export function providerFolder(provider: Provider): 'sqlite' | 'postgres' {
  return provider === 'sqlite' ? 'sqlite' : 'postgres';
}
