import { createScratchDatabase } from '@idp/db/testing';

export const providers = ['sqlite', 'postgresql'] as const;
export type Provider = (typeof providers)[number];

/** A fresh, empty database of the given kind for one test, dropped by `drop`. */
export function scratchDatabase(provider: Provider) {
  return createScratchDatabase(provider);
}
