-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Client" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "secretHash" TEXT,
    "secretRotatedAt" DATETIME,
    "tokenEndpointAuthMethod" TEXT NOT NULL,
    "redirectUris" TEXT NOT NULL DEFAULT '[]',
    "postLogoutRedirectUris" TEXT NOT NULL DEFAULT '[]',
    "grantTypes" TEXT NOT NULL DEFAULT '["authorization_code"]',
    "responseTypes" TEXT NOT NULL DEFAULT '["code"]',
    "scope" TEXT NOT NULL DEFAULT 'openid',
    "audiences" TEXT NOT NULL DEFAULT '[]',
    "firstParty" BOOLEAN NOT NULL DEFAULT false,
    "requirePkce" BOOLEAN NOT NULL DEFAULT true,
    "idTokenSignedResponseAlg" TEXT NOT NULL DEFAULT 'RS256',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Client" ("audiences", "createdAt", "firstParty", "grantTypes", "id", "name", "postLogoutRedirectUris", "redirectUris", "requirePkce", "responseTypes", "scope", "secretHash", "secretRotatedAt", "tokenEndpointAuthMethod", "updatedAt") SELECT "audiences", "createdAt", "firstParty", "grantTypes", "id", "name", "postLogoutRedirectUris", "redirectUris", "requirePkce", "responseTypes", "scope", "secretHash", "secretRotatedAt", "tokenEndpointAuthMethod", "updatedAt" FROM "Client";
DROP TABLE "Client";
ALTER TABLE "new_Client" RENAME TO "Client";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
