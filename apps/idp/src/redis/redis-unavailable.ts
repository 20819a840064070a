/**
 * Redis did not answer a command that single-use state depends on: it is unreachable, or slower
 * than the connection's command timeout. Nothing the request did is at fault, and nothing was
 * decided: the request is refused (503 `temporarily_unavailable`) rather than let a `jti` or a
 * `request_uri` go unchecked, so a replay is never accepted while Redis is away.
 */
export class RedisUnavailable extends Error {
  override name = 'RedisUnavailable';
}

/** `command`'s result, or RedisUnavailable naming `what` when Redis failed to answer it. */
export async function redisCommand<T>(what: string, command: () => Promise<T>): Promise<T> {
  try {
    return await command();
  } catch (error) {
    const words = error instanceof Error ? error.message : String(error);
    throw new RedisUnavailable(`redis did not answer (${what}): ${words}`, { cause: error });
  }
}
