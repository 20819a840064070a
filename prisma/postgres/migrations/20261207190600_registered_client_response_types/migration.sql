-- RFC 7591 2.1: clients that registered themselves without the authorization_code grant were
-- given response_types ["code"], which their grants never use. Registration now gives them none
-- and refuses the pair, so the stored value follows suit (the RFC 7592 2.2 echo of a read stays
-- a valid update). Clients an operator made keep what their seed or `clients add` said.
UPDATE "Client" SET "responseTypes" = '[]'
WHERE "responseTypes" = '["code"]'
  AND "grantTypes" NOT LIKE '%"authorization_code"%'
  AND "id" IN (SELECT "clientId" FROM "ClientRegistration");
