/**
 * How every flow reads its source until the settings screens make these per-profile: a page of 100 records,
 * re-reading 5 minutes behind the cursor for clock skew between the systems (sync rule 1).
 */
export const READ_DEFAULTS = { overlapMs: 5 * 60_000, pageSize: 100 } as const;
