import type { FastifyInstance } from 'fastify';
import { serverOperationDeps } from '../../http/operation-deps.js';
import type { AccountDeps } from '../../operations/account-operations.js';

/** The account operations' dependencies on the server (ended sessions' clients told off-path). */
export function accountDeps(app: FastifyInstance): AccountDeps {
  return serverOperationDeps(app);
}
