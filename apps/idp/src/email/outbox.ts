/**
 * Work that follows a response instead of delaying it: sending mail (and storing its token), so
 * that a page's answer and its timing never depend on whether there was anything to send. Each
 * task runs at once in the background; a failure is reported to `onError` (logged), never to the
 * person. `drain` (on close) waits for what is under way. Nothing survives a crash: an unsent
 * message is asked for again by its reader.
 */
export class Outbox {
  readonly #pending = new Set<Promise<void>>();
  readonly #onError: (error: unknown, what: string) => void;

  constructor(onError: (error: unknown, what: string) => void) {
    this.#onError = onError;
  }

  post(what: string, task: () => Promise<void>): void {
    const run = Promise.resolve()
      .then(task)
      .catch((error: unknown) => this.#onError(error, what))
      .finally(() => this.#pending.delete(run));
    this.#pending.add(run);
  }

  async drain(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }
}
