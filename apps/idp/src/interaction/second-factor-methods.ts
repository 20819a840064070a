import type { FastifyInstance } from 'fastify';

/** The second factors a user can give: one-time codes (TOTP and recovery codes), passkeys. */
export interface SecondFactorMethods {
  readonly code: boolean;
  readonly passkey: boolean;
}

type MethodDeps = Pick<FastifyInstance, 'oneTimeCodes' | 'passkeys' | 'clock'>;

/** What `userId` has enrolled: confirmed one-time codes, and any passkey. */
export async function secondFactorMethods(
  app: MethodDeps,
  userId: string,
): Promise<SecondFactorMethods> {
  const [factor, passkeys] = await Promise.all([
    app.oneTimeCodes.find(userId, app.clock.now()),
    app.passkeys.listForUser(userId),
  ]);
  return { code: factor?.confirmed === true, passkey: passkeys.length > 0 };
}

/** Whether the user has any second factor to give. */
export function hasSecondFactor(methods: SecondFactorMethods): boolean {
  return methods.code || methods.passkey;
}
