import { createMemoryStores, describeStoreConformance } from '../src/testing/index.js';

describeStoreConformance('memory', async () => ({
  ...createMemoryStores(),
  close: async () => {},
}));
