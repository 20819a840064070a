/**
 * Another process writing to the database: opens it, prints "ready", renames one client, exits.
 *   node --import tsx test/support/rename-client.ts <database url> <client id> <new name>
 */
import { openDatabase } from '../../src/index.js';

const [url, id, name] = process.argv.slice(2);
if (!url || !id || !name)
  throw new Error('usage: rename-client.ts <database url> <client id> <new name>');
const db = await openDatabase(url);
try {
  await db.ping();
  process.stdout.write('ready\n');
  await db.prisma.client.update({ where: { id }, data: { name } });
} finally {
  await db.close();
}
