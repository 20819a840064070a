import type { FastifyInstance } from 'fastify';
import { accountPageRoute } from './account-page.js';
import { accountSignInRoutes } from './account-sign-in.js';
import { accountSignInPasskeyRoutes } from './account-sign-in-passkeys.js';
import { appRoutes } from './app-routes.js';
import { passkeyAccountRoutes } from './passkeys.js';
import { emailRoutes } from './email-routes.js';
import { passwordRoutes } from './password-routes.js';
import { profileRoutes } from './profile-routes.js';
import { sessionRoutes } from './session-routes.js';

/**
 * The account page (/account) and its forms, one route file per group of actions; a new section
 * registers its routes here and renders in account-page.ts.
 */
export async function accountRoutes(app: FastifyInstance) {
  await app.register(accountPageRoute);
  await app.register(accountSignInRoutes);
  await app.register(accountSignInPasskeyRoutes);
  await app.register(profileRoutes);
  await app.register(emailRoutes);
  await app.register(passwordRoutes);
  await app.register(sessionRoutes);
  await app.register(appRoutes);
  await app.register(passkeyAccountRoutes);
}
