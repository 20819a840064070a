import type { KeyEvent, KeySetChange } from '../key-set-change.js';
import type { SigningKeyStore } from '../signing-key-store.js';
import type { StoredSigningKey } from '../signing-key.js';

/** The reference `SigningKeyStore`: rows in memory, changes applied whole or not at all. */
export class MemorySigningKeyStore implements SigningKeyStore {
  #keys: StoredSigningKey[] = [];
  readonly events: Array<KeyEvent & { actor: string }> = [];
  /** Changes run one after another, as the contract demands. */
  #queue: Promise<unknown> = Promise.resolve();

  async list(): Promise<StoredSigningKey[]> {
    return this.#keys.map((k) => ({ ...k }));
  }

  change<T>(
    decide: (keys: readonly StoredSigningKey[]) => KeySetChange<T>,
    actor: string,
  ): Promise<T> {
    const run = this.#queue.then(() => this.#apply(decide, actor));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #apply<T>(
    decide: (keys: readonly StoredSigningKey[]) => KeySetChange<T>,
    actor: string,
  ): Promise<T> {
    const change = decide(await this.list());
    for (const update of change.updates) {
      if (!this.#keys.some((k) => k.kid === update.kid))
        throw new Error(`no signing key ${update.kid}`);
    }
    const next = this.#keys.map((key) => {
      const updates = change.updates.filter((u) => u.kid === key.kid);
      return updates.reduce<StoredSigningKey>(
        (k, { kid: _kid, ...set }) => ({ ...k, ...set }),
        key,
      );
    });
    if (change.insert) next.push(change.insert);
    this.#keys = next;
    this.events.push(...change.events.map((e) => ({ ...e, actor })));
    return change.result;
  }
}
