/** How a shell reports a process killed by SIGPIPE, as Unix tools are when their reader leaves. */
export const CLOSED_PIPE_EXIT_CODE = 128 + 13;

/**
 * Lets a reader that stops early (`idp clients list | head -1`) end the output quietly instead of
 * crashing the CLI with an unhandled EPIPE: later lines are dropped, and the command still
 * finishes its work (a change already written, the back-channel logouts it owes). Returns whether
 * the reader has gone.
 */
export function watchForClosedPipe(stream: NodeJS.WriteStream): () => boolean {
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    closed = true;
  });
  return () => closed;
}
