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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Client" ("audiences", "createdAt", "firstParty", "grantTypes", "id", "name", "postLogoutRedirectUris", "redirectUris", "responseTypes", "scope", "secretHash", "secretRotatedAt", "tokenEndpointAuthMethod", "updatedAt") SELECT "audiences", "createdAt", "firstParty", "grantTypes", "id", "name", "postLogoutRedirectUris", "redirectUris", "responseTypes", "scope", "secretHash", "secretRotatedAt", "tokenEndpointAuthMethod", "updatedAt" FROM "Client";
DROP TABLE "Client";
ALTER TABLE "new_Client" RENAME TO "Client";
CREATE TABLE "new_AuthorizationCode" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "clientId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "sessionId" TEXT,
    "redirectUri" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "nonce" TEXT,
    "codeChallenge" TEXT,
    "codeChallengeMethod" TEXT,
    "claims" TEXT,
    "resources" TEXT NOT NULL DEFAULT '[]',
    "authTime" DATETIME NOT NULL,
    "amr" TEXT NOT NULL DEFAULT '[]',
    "acr" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "consumedAt" DATETIME,
    "familyId" TEXT,
    CONSTRAINT "AuthorizationCode_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "Client" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "AuthorizationCode_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_AuthorizationCode" ("acr", "amr", "authTime", "claims", "clientId", "codeChallenge", "codeChallengeMethod", "consumedAt", "createdAt", "expiresAt", "familyId", "id", "nonce", "redirectUri", "resources", "scope", "sessionId", "userId") SELECT "acr", "amr", "authTime", "claims", "clientId", "codeChallenge", "codeChallengeMethod", "consumedAt", "createdAt", "expiresAt", "familyId", "id", "nonce", "redirectUri", "resources", "scope", "sessionId", "userId" FROM "AuthorizationCode";
DROP TABLE "AuthorizationCode";
ALTER TABLE "new_AuthorizationCode" RENAME TO "AuthorizationCode";
CREATE INDEX "AuthorizationCode_expiresAt_idx" ON "AuthorizationCode"("expiresAt");
CREATE INDEX "AuthorizationCode_userId_idx" ON "AuthorizationCode"("userId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
