import { signingKeyStoreConformance } from '@idp/keys/testing';
import { describeStoreConformance } from '@idp/oidc/testing';
import { after } from 'node:test';
import { SigningKeyRepository } from '../src/index.js';
import { PROVIDERS } from '../src/database.js';
import { openMigratedScratch, type MigratedScratch } from './support/migrated-scratch.js';
import { repositoryStores } from './support/repository-stores.js';

// Every port's conformance suite (owned by @idp/oidc and @idp/keys) on both databases.
const opened: MigratedScratch[] = [];
after(() => Promise.all(opened.map((scratch) => scratch.close())));

async function scratch(provider: (typeof PROVIDERS)[number]): Promise<MigratedScratch> {
  const db = await openMigratedScratch(provider);
  opened.push(db);
  return db;
}

for (const provider of PROVIDERS) {
  // One scratch database per suite: the suites keep their tests apart by unique ids.
  describeStoreConformance(provider, async () => {
    const { db, close } = await openMigratedScratch(provider);
    return { ...repositoryStores(db), close };
  });
  // The signing-key suite wants an empty store per test.
  signingKeyStoreConformance(
    `SigningKeyRepository on ${provider}`,
    async () => new SigningKeyRepository((await scratch(provider)).db),
  );
}
