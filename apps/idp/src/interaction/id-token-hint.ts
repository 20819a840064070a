import { errors } from 'jose';
import type { Services } from '../services.js';

/**
 * The subject of an id_token_hint (OIDC Core 3.1.2.1) if it is an ID token we signed, expired or
 * not (a hint is typically an old token); undefined when it is not ours.
 */
export async function hintedSubject(services: Services, hint: string): Promise<string | undefined> {
  try {
    const { payload } = await services.keyRing.verify(hint, { issuer: services.config.issuer });
    return typeof payload.sub === 'string' ? payload.sub : undefined;
  } catch (error) {
    if (error instanceof errors.JWTExpired && error.payload.iss === services.config.issuer) {
      return typeof error.payload.sub === 'string' ? error.payload.sub : undefined;
    }
    return undefined;
  }
}
