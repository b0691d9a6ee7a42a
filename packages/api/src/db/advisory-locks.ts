/**
 * Every PostgreSQL advisory lock key the application takes, in one place, so
 * two features can never pick the same number by accident. The 727_100_xxx
 * range is Orderpost's; add new keys here.
 */
export const advisoryLockKeys = {
  /** Held while migrating at start: several processes starting together migrate once. */
  migrations: 727_100_001,
  /** Serialises token changes that must keep one admin token (revocation, the first start's token). */
  tokens: 727_100_002,
  /** Hands out journal ids in commit order (see journal.writer.ts). */
  journal: 727_100_010,
} as const;
