/** Most distinct client ids one process labels metrics with; later ones count as `other`. */
export const MAX_CLIENT_LABELS = 500;

/**
 * The `client_id` label for a client, keeping the number of series bounded. The operator
 * registers clients, so their ids are few; but a client_id that is a URL (a client metadata
 * document, which anyone may host) or one past the first MAX_CLIENT_LABELS (open dynamic
 * registration) gets a shared label instead, so no outsider can grow the metrics without bound.
 */
export function clientLabel(seen: Set<string>, clientId: string): string {
  if (seen.has(clientId)) return clientId;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(clientId)) return 'metadata_document';
  if (seen.size >= MAX_CLIENT_LABELS) return 'other';
  seen.add(clientId);
  return clientId;
}
