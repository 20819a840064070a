import type { SigningKeyView } from '@idp/keys';

/** A signing key as the CLI (`--json`) and the admin API show it: snake_case, ISO times. */
export function signingKeyJson(key: SigningKeyView) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    kid: key.kid,
    alg: key.alg,
    state: key.state,
    size: key.size,
    created_at: iso(key.createdAt),
    activates_at: iso(key.activatesAt),
    retires_at: iso(key.retiresAt),
    removes_at: iso(key.removesAt),
    revoked_at: iso(key.revokedAt),
  };
}
