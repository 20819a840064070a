import type { FastifyReply } from 'fastify';

/**
 * Answers a ceremony's options request: the options for the browser and the sealed challenge it
 * posts back with the result. Never cached: each carries a fresh challenge.
 */
export function sendPasskeyOptions(
  reply: FastifyReply,
  options: object,
  state: string,
): FastifyReply {
  return reply
    .header('cache-control', 'no-store')
    .header('content-type', 'application/json; charset=utf-8')
    .send(JSON.stringify({ options, state }));
}

/** The options request did not come from a live page of this browser (expired, or CSRF). */
export function refusePasskeyOptions(reply: FastifyReply, status = 403): FastifyReply {
  return reply
    .status(status)
    .header('cache-control', 'no-store')
    .header('content-type', 'application/json; charset=utf-8')
    .send(JSON.stringify({ error: 'This page has expired. Reload it and try again.' }));
}
