/**
 * @module @idp/db/testing
 * Test support, outside the package's build: scratch databases, and a TCP proxy that stalls or
 * cuts a database's connections. Loaded as TypeScript (the tests run under tsx).
 */
export { createScratchDatabase, type ScratchDatabase } from './scratch-database.js';
export { startTcpProxy, type TcpProxy } from './tcp-proxy.js';
