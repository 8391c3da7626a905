/**
 * Where test worlds start unless a test says otherwise: an ordinary afternoon, fixed, so a world is the same
 * whatever day the tests run (any instant would do: test/integration/sandbox-origins.test.ts). Tests whose
 * flows run in a `ferry` child process keep the default origin (now) instead: that process's engine follows
 * the wall clock, and a world started now runs on it too.
 */
export const TEST_ORIGIN = new Date('2026-11-18T14:30:00.000Z');
