import { defineConfig } from '@idp/eslint-config';

// The protocol core: no Fastify, no Prisma, no process.env.
export default defineConfig({ frameworkFree: true });
