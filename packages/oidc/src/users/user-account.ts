/** Standard claims of OIDC Core 5.1 that a user record may hold (besides sub and email). */
export interface StandardClaims {
  name?: string;
  given_name?: string;
  family_name?: string;
  middle_name?: string;
  nickname?: string;
  preferred_username?: string;
  profile?: string;
  picture?: string;
  website?: string;
  email_verified?: boolean;
  gender?: string;
  birthdate?: string;
  zoneinfo?: string;
  locale?: string;
  phone_number?: string;
  phone_number_verified?: boolean;
  address?: {
    formatted?: string;
    street_address?: string;
    locality?: string;
    region?: string;
    postal_code?: string;
    country?: string;
  };
}

/** A person who can log in. `id` is the stable `sub`. */
export interface UserAccount {
  readonly id: string;
  readonly email: string;
  readonly passwordHash: string;
  readonly disabled: boolean;
  /** Holds the admin role: may be given the idp:admin scope and use the console (`grant-admin`). */
  readonly admin: boolean;
  readonly claims: StandardClaims;
  readonly createdAt: number;
}
