import type { Clock } from '@idp/oidc';

/**
 * The project has one `Clock` interface, owned by the protocol core's ports; it is re-exported
 * here (a type-only import, so this package loads nothing of `@idp/oidc` at run time).
 */
export type { Clock };

export const systemClock: Clock = { now: () => Date.now() };
