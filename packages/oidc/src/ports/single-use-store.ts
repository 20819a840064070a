/**
 * Identifiers that may be used once, cluster-wide: accepted login and consent forms, client
 * assertion and DPoP proof `jti`s, and whatever else must not be replayed.
 *
 * Contract: `consume` is true only for the first call with an id, on any instance sharing the
 * store; of concurrent calls with one id exactly one is true. `expiresAt` is when the thing the id
 * names expires anyway, after which clean-up may forget the id. Callers namespace their ids
 * (`interaction:…`, `assertion:<client>:<jti>`, …) so that different uses never collide.
 */
export interface SingleUseStore {
  consume(id: string, expiresAt: number): Promise<boolean>;
}
