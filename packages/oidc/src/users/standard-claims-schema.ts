import { z } from 'zod';

/** zod schema of the OIDC Core 5.1 standard claims a user may carry. */
export const standardClaimsSchema = z.object({
  name: z.string().optional(),
  given_name: z.string().optional(),
  family_name: z.string().optional(),
  middle_name: z.string().optional(),
  nickname: z.string().optional(),
  preferred_username: z.string().optional(),
  profile: z.url().optional(),
  picture: z.url().optional(),
  website: z.url().optional(),
  email_verified: z.boolean().optional(),
  gender: z.string().optional(),
  birthdate: z
    .string()
    .regex(/^(\d{4}|\d{4}-\d{2}-\d{2}|0000-\d{2}-\d{2})$/, 'must be YYYY-MM-DD or YYYY')
    .optional(),
  zoneinfo: z.string().optional(),
  locale: z.string().optional(),
  phone_number: z.string().optional(),
  phone_number_verified: z.boolean().optional(),
  address: z
    .object({
      formatted: z.string().optional(),
      street_address: z.string().optional(),
      locality: z.string().optional(),
      region: z.string().optional(),
      postal_code: z.string().optional(),
      country: z.string().optional(),
    })
    .optional(),
});
