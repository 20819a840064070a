/**
 * Runs `task` every `intervalMs` in the background: never two runs at once (a run still going
 * when the next is due skips that turn), failures to `onError`, and a timer that does not keep
 * the process alive. Returns a stop function that resolves once a run under way has finished.
 */
export function runEvery(intervalMs: number, task: () => Promise<unknown>, onError: (error: unknown) => void): () => Promise<void> {
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
