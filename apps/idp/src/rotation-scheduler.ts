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
    if (rotated) {
      logger.info(
        { kid: rotated.kid, activatesAt: new Date(rotated.activatesAt).toISOString() },
        'scheduled key rotation: new key published',
      );
      await keyRing.refresh();
    }
  };
  tasks.every(Math.min(config.keyRefreshInterval * 1000, MAX_CHECK_INTERVAL_MS), check, (error) =>
    logger.error({ err: error }, 'scheduled key rotation failed'),
  );
}
