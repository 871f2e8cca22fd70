/** The PostgreSQL database the tests use; `.ci/run` creates it. A test that cannot reach it fails, never skips. */
export const pgUrl = process.env.NTM_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/ntm_test"
