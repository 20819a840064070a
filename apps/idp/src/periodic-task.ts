/**
 * Runs `task` every `intervalMs` in the background: never two runs at once (a run still going
 * when the next is due skips that turn), failures to `onError`, and a timer that does not keep
 * the process alive. Returns a stop function that resolves once a run under way has finished.
 */
export function runEvery(
  intervalMs: number,
  task: () => Promise<unknown>,
  onError: (error: unknown) => void,
): () => Promise<void> {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = task()
      .then(
        () => undefined,
        (error: unknown) => onError(error),
      )
      .finally(() => (running = undefined));
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}

/** The server's background work (key refresh and rotation, client change checks, clean-up), stopped together on close. */
export class BackgroundTasks {
  readonly #stops: Array<() => Promise<void>> = [];

  /**
   * Runs `task` with `runEvery`. With `waitOnStop: false`, `stop()` does not wait for a run under
   * way: only for work that is safe to cut short.
   */
  every(
    intervalMs: number,
    task: () => Promise<unknown>,
    onError: (error: unknown) => void,
    options: { waitOnStop?: boolean } = {},
  ): void {
    const stop = runEvery(intervalMs, task, onError);
    this.#stops.push(options.waitOnStop === false ? async () => void stop() : stop);
  }

  /** Stops every task; resolves once the runs under way that are waited for have finished. */
  async stop(): Promise<void> {
    const stops = this.#stops.splice(0);
    await Promise.all(stops.map((stop) => stop()));
  }
}
