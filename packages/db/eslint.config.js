import { defineConfig } from '@idp/eslint-config';

// The only package allowed to import Prisma.
export default defineConfig({ allowPrisma: true });
