// `pnpm --filter @idp/db generate`: `prisma generate` for every provider's rendered schema, into
// src/generated/<provider>/ (compiled with the package).
import { relative } from 'node:path';
import { PROVIDERS } from '../src/database.js';
import { runPrisma } from './lib/prisma-cli.js';
import { providerFiles } from './lib/prisma-files.js';

// `generate` does not connect; the URL only has to pass the provider's validation.
const placeholderUrls = {
  sqlite: 'file::memory:',
  postgresql: 'postgresql://localhost/unused',
} as const;

await Promise.all(
  PROVIDERS.map(async (provider) => {
    await runPrisma(provider, ['generate'], { databaseUrl: placeholderUrls[provider] });
    console.log(
      `generated the ${provider} client in ${relative(process.cwd(), providerFiles(provider).clientDir)}`,
    );
  }),
);
