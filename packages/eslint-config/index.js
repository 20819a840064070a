// Shared lint rules. Beyond style, they hold the architecture in place: Prisma only inside
// packages/db, no HTTP framework or storage in the protocol core, and process.env read only by
// packages/config (one validated configuration surface).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const prismaImports = {
  group: ['@prisma/*', 'prisma', 'prisma/*', '**/generated/*'],
  message: 'Prisma is used only inside packages/db; depend on a port or on @idp/db instead.',
};
const frameworkImports = {
  group: ['fastify', 'fastify/*', '@fastify/*', 'fastify-plugin', 'pino'],
  message: 'The protocol core is framework-free: HTTP belongs in apps/idp.',
};
const sourcePathImports = {
  group: ['@idp/*/src/*', '../../packages/*', '../../../packages/*'],
  message: 'Import a workspace package through its exports, never its src/ by path.',
};

const processEnvSyntax = {
  selector: "MemberExpression[object.name='process'][property.name='env']",
  message: 'Read settings through @idp/config; only packages/config reads process.env.',
};

/**
 * @param {{ allowPrisma?: boolean, allowProcessEnv?: boolean, frameworkFree?: boolean }} options
 */
export function defineConfig(options = {}) {
  const patterns = [sourcePathImports];
  if (!options.allowPrisma) patterns.push(prismaImports);
  if (options.frameworkFree) patterns.push(frameworkImports);
  return tseslint.config(
    { ignores: ['dist/**', 'src/generated/**', '.cache/**', 'node_modules/**'] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
      rules: {
        'no-restricted-imports': ['error', { patterns }],
        'no-restricted-syntax': options.allowProcessEnv ? 'off' : ['error', processEnvSyntax],
        '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
        '@typescript-eslint/consistent-type-imports': 'error',
        eqeqeq: ['error', 'always'],
      },
    },
  );
}

export const baseConfig = defineConfig();
