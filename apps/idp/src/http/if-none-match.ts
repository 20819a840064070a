/**
 * Whether an If-None-Match header matches an entity tag (RFC 9110 13.1.2: weak comparison,
 * a list of tags, or `*`).
 */
export function ifNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const strong = etag.replace(/^W\//, '');
  return header.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || tag.replace(/^W\//, '') === strong;
  });
}
