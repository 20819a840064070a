// `pnpm --filter @idp/db render`: writes prisma/<provider>/schema.prisma from prisma/models.prisma.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PROVIDERS } from '../src/database.js';
import { modelsFile, providerFiles } from './lib/prisma-files.js';
import { renderSchema } from './lib/render-schema.js';

const models = await readFile(modelsFile, 'utf8');
for (const provider of PROVIDERS) {
  const files = providerFiles(provider);
  await mkdir(dirname(files.schemaFile), { recursive: true });
  await writeFile(files.schemaFile, renderSchema(files, models));
}
