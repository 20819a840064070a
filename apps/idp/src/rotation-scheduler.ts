import type { Config } from '@idp/config';
import type { KeyRing, SigningKeys } from '@idp/keys';
import type { Logger } from 'pino';
import type { BackgroundTasks } from './periodic-task.js';

const MAX_CHECK_INTERVAL_MS = 60_000;

/**
 * Scheduled key rotation (IDP_KEY_ROTATION_INTERVAL). Every instance checks; the store's
 * serialised change makes sure only one of them adds the new key.
 */
export function scheduleKeyRotation(
  tasks: BackgroundTasks,
  services: { config: Config; signingKeys: SigningKeys; keyRing: KeyRing },
  logger: Logger,
): void {
  const { config, signingKeys, keyRing } = services;
  if (config.keyRotationInterval <= 0) return;
  const check = async () => {
    const rotated = await signingKeys.rotateIfDue('scheduler');
    for (const key of rotated) {
      logger.info(
        { kid: key.kid, alg: key.alg, activatesAt: new Date(key.activatesAt).toISOString() },
        'scheduled key rotation: new key published',
      );
    }
    if (rotated.length > 0) await keyRing.refresh();
  };
  tasks.every(Math.min(config.keyRefreshInterval * 1000, MAX_CHECK_INTERVAL_MS), check, (error) =>
    logger.error({ err: error }, 'scheduled key rotation failed'),
  );
}
