/** Wraps an async action so that it runs on the first call; later calls get the same promise. */
export function onlyOnce(action: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= action());
}
