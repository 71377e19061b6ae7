-- A full sync keeps the Clever ids it has seen in its own process (src/sync/write/staging.ts).
DROP TABLE "SyncSeen";
