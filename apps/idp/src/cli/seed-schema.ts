import { clientMetadataSchema, knownClientMetadata, standardClaimsSchema } from '@idp/oidc';
import { z } from 'zod';

const userSeedSchema = standardClaimsSchema.extend({
  email: z.email({ message: 'must be an email address' }),
  password: z.string().min(1, 'must not be empty'),
  /** Optional stable subject identifier; generated when absent. */
  sub: z
    .string()
    .regex(/^[\x21-\x7E]{1,255}$/, 'must be 1-255 printable ASCII characters')
    .optional(),
  disabled: z.boolean().default(false),
});

/** The seed file of `idp import` (DESIGN.md): `{ "clients": [...], "users": [...] }`. */
export const seedSchema = z
  .object({
    clients: z.array(clientMetadataSchema).default([]),
    users: z.array(userSeedSchema).default([]),
  })
  .superRefine((seed, ctx) => {
    duplicates(seed.clients.map((c) => c.client_id)).forEach((index) =>
      ctx.addIssue({
        code: 'custom',
        path: ['clients', index, 'client_id'],
        message: 'appears more than once in the seed',
      }),
    );
    duplicates(seed.users.map((u) => u.email.toLowerCase())).forEach((index) =>
      ctx.addIssue({
        code: 'custom',
        path: ['users', index, 'email'],
        message: 'appears more than once in the seed',
      }),
    );
  });

export type Seed = z.output<typeof seedSchema>;

function duplicates(values: string[]): number[] {
  return values.flatMap((value, index) => (values.indexOf(value) < index ? [index] : []));
}

const knownUserMembers = new Set(Object.keys(userSeedSchema.shape));

/** Members of the seed that will be ignored, as JSON paths, so typos do not pass silently. */
export function ignoredSeedMembers(raw: unknown): string[] {
  if (typeof raw !== 'object' || raw === null) return [];
  const seed = raw as Record<string, unknown>;
  const ignored = Object.keys(seed).filter((key) => key !== 'clients' && key !== 'users');
  const check = (list: unknown, name: string, known: ReadonlySet<string>) => {
    if (!Array.isArray(list)) return;
    list.forEach((entry, index) => {
      if (typeof entry !== 'object' || entry === null) return;
      for (const key of Object.keys(entry))
        if (!known.has(key)) ignored.push(`${name}[${index}].${key}`);
    });
  };
  check(seed.clients, 'clients', knownClientMetadata);
  check(seed.users, 'users', knownUserMembers);
  return ignored;
}

/** A zod issue path as a JSON path: `clients[2].redirect_uris[0]`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}

/**
 * Where the seed holds a string, or a member name, with a NUL character. PostgreSQL cannot store
 * one in text, so such a seed is refused up front, naming each place, instead of failing halfway
 * into the database with the driver's message.
 */
export function nulCharacterPaths(
  value: unknown,
  path: readonly PropertyKey[] = [],
): PropertyKey[][] {
  if (typeof value === 'string') return value.includes('\u0000') ? [[...path]] : [];
  if (Array.isArray(value))
    return value.flatMap((item, index) => nulCharacterPaths(item, [...path, index]));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([name, member]) =>
    name.includes('\u0000') ? [[...path, name]] : nulCharacterPaths(member, [...path, name]),
  );
}
