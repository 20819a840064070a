-- RFC 7591 2.1: clients made by an operator (seed file, `clients add`, the admin API) without
-- the authorization_code grant were given response_types ["code"], which their grants never use.
-- Those now get none too, as self-registered ones already do, and an explicit mismatch is
-- refused; the stored value follows suit, so that a client's exported document imports again
-- and an update that leaves response_types alone is not refused for it.
UPDATE "Client" SET "responseTypes" = '[]'
WHERE "responseTypes" = '["code"]'
  AND "grantTypes" NOT LIKE '%"authorization_code"%';
