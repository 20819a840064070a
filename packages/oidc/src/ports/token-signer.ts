/** Signs JWTs with the active key (`kid` header). Implemented by the keys package's key ring. */
export interface TokenSigner {
  sign(payload: Record<string, unknown>, options?: { typ?: string }): Promise<string>;
}
