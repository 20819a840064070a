import { after, before, describe } from 'node:test';
import type { OpenStoreSet, StoreSet } from './store-set.js';

/**
 * Declares one port's conformance suite: opens a store set before its tests and closes it after;
 * `body` declares the tests, reading the open set through `stores()`. Tests share the set and
 * keep apart by unique ids, so one scratch database serves a whole suite.
 */
export function conformanceSuite(
  title: string,
  open: OpenStoreSet,
  body: (stores: () => StoreSet) => void,
): void {
  describe(title, () => {
    let opened: (StoreSet & { close(): Promise<void> }) | undefined;
    before(async () => {
      opened = await open();
    });
    after(() => opened?.close());
    body(() => {
      if (!opened) throw new Error(`${title}: the store set is not open`);
      return opened;
    });
  });
}
