import { OperationError } from './operation-error.js';

/**
 * The admin console's own client (routes/console/console-client.ts): the server creates it and
 * keeps it as its configuration says at every start, so the operations leave it alone; changing
 * it by hand would be undone at the next start, and deleting it would lock the console.
 */
export const CONSOLE_CLIENT_ID = 'idp-admin-console';

export function refuseReservedClient(clientId: string): void {
  if (clientId === CONSOLE_CLIENT_ID)
    throw new OperationError(
      'not_applicable',
      `client ${CONSOLE_CLIENT_ID} is the admin console's own, managed by the server itself`,
    );
}
