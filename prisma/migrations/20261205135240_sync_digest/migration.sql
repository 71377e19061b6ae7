-- CreateTable (edited: UNLOGGED, a cache a full sync rebuilds; a crash empties it and the next sync writes as usual)
CREATE UNLOGGED TABLE "SyncDigest" (
    "recordId" UUID NOT NULL,
    "hash" TEXT NOT NULL,
    "rowUpdatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SyncDigest_pkey" PRIMARY KEY ("recordId")
);
