/**
 * Login and consent interactions whose form was accepted: each may be used once, cluster-wide.
 *
 * Contract: `consume` is true only for the first call with an id, on any instance sharing the
 * store; of concurrent calls with one id exactly one is true. `expiresAt` is when the interaction
 * expires anyway, after which clean-up may forget the id.
 */
export interface ConsumedInteractionStore {
  consume(id: string, expiresAt: number): Promise<boolean>;
}
