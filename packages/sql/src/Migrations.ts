/**
 * The store's schema and its migrations: versioned, run on start, safe to run twice (the migrator records what ran)
 * and safe when two processes start at once (on PostgreSQL the migrator locks its table; SQLite serialises writers).
 *
 * @since 0.1.0
 */

import * as Migrator from "@effect/sql/Migrator"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

/** The advisory lock key that serialises migrations on PostgreSQL. */
const migrationLock = 7_464_000

/**
 * Migration 5's `ntm_append(writes jsonb, idempotency_key text, recorded_at bigint) RETURNS jsonb`, kept as it ran
 * (a migration never changes once released); migration 6 adds {@link appendFunction} beside it.
 *
 * An append on PostgreSQL, in one call and one transaction (the caller's, or its own in autocommit).
 *
 * `writes` is `[{ stream, expected, events: [{ type, version, data, content }] }]`, with `expected` a number or
 * `"any"`, `data` the event's JSON text and `content` its content hash (`HashChain.contentHash`). In order, it:
 *
 * 1. takes the append lock (`pg_advisory_xact_lock(7464001)`), before reading anything: the function is VOLATILE
 *    and runs in READ COMMITTED, so each statement after the lock takes a fresh snapshot and sees every append
 *    committed before the lock was granted; positions are then drawn in commit order, and a reader of "everything
 *    after P" never meets a position that commits later with a lower number;
 * 2. returns the stored outcome when the idempotency key was seen (`{ "results": [...] }`);
 * 3. checks every write's expected version (counting earlier writes to the same stream in the same call) before
 *    inserting anything, and returns `{ "conflict": { stream, expected, actual } }` for the first that fails;
 * 4. inserts the events, each with its position (`nextval`), stream version, and the two chain steps
 *    (`HashChain.chainHash`, with the built-in `sha256`);
 * 5. stores the outcome under the idempotency key, and returns `{ "results": [{ streamVersion, position }] }`.
 *
 * One event to one stream (the common command) reads, checks and inserts in a single statement.
 */
const appendFunction5 = `
CREATE OR REPLACE FUNCTION ntm_append(writes jsonb, idempotency_key text, recorded_at bigint)
RETURNS jsonb
LANGUAGE plpgsql
VOLATILE
AS $fn$
DECLARE
  genesis CONSTANT text := repeat('0', 64);
  done text;
  conflict jsonb;
  starts integer[];
  tips text[];
  chained jsonb := '{}';
  previous text;
  stream_previous text;
  w jsonb;
  events jsonb;
  e jsonb;
  s text;
  sv integer;
  pos bigint;
  results jsonb := '[]';
BEGIN
  -- The lock first: every statement below sees all appends committed before it was granted.
  PERFORM pg_advisory_xact_lock(7464001);
  IF idempotency_key IS NOT NULL THEN
    SELECT k.outcome INTO done FROM ntm_idempotency k WHERE k.key = idempotency_key;
    IF FOUND THEN
      RETURN jsonb_build_object('results', done::jsonb);
    END IF;
  END IF;

  IF jsonb_array_length(writes) = 1 AND jsonb_array_length(writes->0->'events') = 1 THEN
    -- One event to one stream: read both heads, check and insert in one statement. Nothing inserted: a conflict,
    -- described by the general path below.
    INSERT INTO ntm_events (position, stream, stream_version, type, version, data, recorded_at, hash, stream_hash)
      SELECT p.n, x.stream, x.v + 1, x.e->>'type', (x.e->>'version')::integer, x.e->>'data', ntm_append.recorded_at,
          encode(sha256(convert_to(coalesce(g.hash, genesis) || E'\\n' || p.n || E'\\n' || (x.e->>'content'), 'UTF8')),
            'hex'),
          encode(sha256(convert_to(coalesce(x.tip, genesis) || E'\\n' || (x.v + 1) || E'\\n' || (x.e->>'content'),
            'UTF8')), 'hex')
        FROM (
          SELECT one.stream, one.expected, one.e, coalesce(h.v, 0) AS v, h.tip
            FROM (SELECT writes->0->>'stream' AS stream, writes->0->'expected' AS expected,
                writes->0->'events'->0 AS e) one
            LEFT JOIN LATERAL (
              SELECT ev.stream_version AS v, ev.stream_hash AS tip FROM ntm_events ev
                WHERE ev.stream = one.stream ORDER BY ev.stream_version DESC LIMIT 1
            ) h ON true
        ) x
        LEFT JOIN LATERAL (SELECT ev.hash FROM ntm_events ev ORDER BY ev.position DESC LIMIT 1) g ON true
        CROSS JOIN LATERAL (SELECT nextval('ntm_events_position_seq') AS n) p
        WHERE jsonb_typeof(x.expected) <> 'number' OR x.expected::integer = x.v
      RETURNING ntm_events.position, ntm_events.stream_version INTO pos, sv;
    IF FOUND THEN
      results := jsonb_build_array(jsonb_build_object('streamVersion', sv, 'position', pos));
      IF idempotency_key IS NOT NULL THEN
        INSERT INTO ntm_idempotency (key, outcome) VALUES (idempotency_key, results::text);
      END IF;
      RETURN jsonb_build_object('results', results);
    END IF;
  END IF;

  -- Every write's starting version (its stream's head plus the events of earlier writes to it in this call), its
  -- stream's last hash, the first conflict, and the log's last hash: one statement.
  SELECT array_agg(c.actual ORDER BY c.ord), array_agg(c.tip ORDER BY c.ord),
      (array_agg(jsonb_build_object('stream', c.stream, 'expected', c.expected, 'actual', c.actual) ORDER BY c.ord)
        FILTER (WHERE jsonb_typeof(c.expected) = 'number' AND c.expected::integer <> c.actual))[1],
      (SELECT ev.hash FROM ntm_events ev ORDER BY ev.position DESC LIMIT 1)
    INTO starts, tips, conflict, previous
    FROM (
      SELECT w.ord, w.stream, w.expected, h.tip,
          (coalesce(h.v, 0) + coalesce(sum(jsonb_array_length(w.events)) OVER (PARTITION BY w.stream
            ORDER BY w.ord ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0))::integer AS actual
        FROM ROWS FROM (jsonb_to_recordset(writes) AS (stream text, expected jsonb, events jsonb))
          WITH ORDINALITY AS w(stream, expected, events, ord)
        LEFT JOIN LATERAL (
          SELECT ev.stream_version AS v, ev.stream_hash AS tip FROM ntm_events ev
            WHERE ev.stream = w.stream ORDER BY ev.stream_version DESC LIMIT 1
        ) h ON true
    ) c;
  IF conflict IS NOT NULL THEN
    RETURN jsonb_build_object('conflict', conflict);
  END IF;
  previous := coalesce(previous, genesis);
  FOR i IN 1 .. coalesce(array_length(starts, 1), 0) LOOP
    w := writes->(i - 1);
    s := w->>'stream';
    events := w->'events';
    sv := starts[i];
    stream_previous := coalesce(chained->>s, tips[i], genesis);
    pos := 0;
    FOR j IN 0 .. jsonb_array_length(events) - 1 LOOP
      e := events->j;
      sv := sv + 1;
      INSERT INTO ntm_events (position, stream, stream_version, type, version, data, recorded_at, hash, stream_hash)
        SELECT p.n, s, sv, e->>'type', (e->>'version')::integer, e->>'data', ntm_append.recorded_at,
            encode(sha256(convert_to(previous || E'\\n' || p.n || E'\\n' || (e->>'content'), 'UTF8')), 'hex'),
            encode(sha256(convert_to(stream_previous || E'\\n' || sv || E'\\n' || (e->>'content'), 'UTF8')), 'hex')
          FROM (SELECT nextval('ntm_events_position_seq') AS n) p
        RETURNING ntm_events.position, ntm_events.hash, ntm_events.stream_hash INTO pos, previous, stream_previous;
    END LOOP;
    chained := chained || jsonb_build_object(s, stream_previous);
    results := results || jsonb_build_array(jsonb_build_object('streamVersion', sv, 'position', pos));
  END LOOP;
  IF idempotency_key IS NOT NULL THEN
    INSERT INTO ntm_idempotency (key, outcome) VALUES (idempotency_key, results::text);
  END IF;
  RETURN jsonb_build_object('results', results);
END
$fn$`

/**
 * `ntm_append(writes jsonb, idempotency_key text, recorded_at bigint, fingerprint text) RETURNS jsonb`: an append on
 * PostgreSQL, in one call and one transaction (the caller's, or its own in autocommit). Migration 6 added it beside
 * the three-argument function of migration 5 ({@link appendFunction5}), which does not check a key's request.
 *
 * `writes` is `[{ stream, expected, events: [{ type, version, data, content }] }]`, with `expected` a number or
 * `"any"`, `data` the event's JSON text and `content` its content hash (`HashChain.contentHash`). In order, it:
 *
 * 1. takes the append lock (`pg_advisory_xact_lock(7464001)`), before reading anything: the function is VOLATILE
 *    and runs in READ COMMITTED, so each statement after the lock takes a fresh snapshot and sees every append
 *    committed before the lock was granted; positions are then drawn in commit order, and a reader of "everything
 *    after P" never meets a position that commits later with a lower number;
 * 2. when the idempotency key was seen: returns `{ "reused": true }` if it was recorded with another fingerprint (the
 *    SHA-256 of the request), else the stored outcome (`{ "results": [...], "replayed": true }`);
 * 3. checks every write's expected version (counting earlier writes to the same stream in the same call) before
 *    inserting anything, and returns `{ "conflict": { stream, expected, actual } }` for the first that fails;
 * 4. inserts the events, each with its position (`nextval`), stream version, and the two chain steps
 *    (`HashChain.chainHash`, with the built-in `sha256`);
 * 5. stores the outcome under the idempotency key, with the fingerprint and the first position it drew, and returns
 *    `{ "results": [{ streamVersion, position }] }`.
 *
 * One event to one stream (the common command) reads, checks and inserts in a single statement.
 */
const appendFunction = `
CREATE OR REPLACE FUNCTION ntm_append(writes jsonb, idempotency_key text, recorded_at bigint, fingerprint text)
RETURNS jsonb
LANGUAGE plpgsql
VOLATILE
AS $fn$
DECLARE
  genesis CONSTANT text := repeat('0', 64);
  done text;
  done_fingerprint text;
  first_pos bigint;
  conflict jsonb;
  starts integer[];
  tips text[];
  chained jsonb := '{}';
  previous text;
  stream_previous text;
  w jsonb;
  events jsonb;
  e jsonb;
  s text;
  sv integer;
  pos bigint;
  results jsonb := '[]';
BEGIN
  -- The lock first: every statement below sees all appends committed before it was granted.
  PERFORM pg_advisory_xact_lock(7464001);
  IF idempotency_key IS NOT NULL THEN
    SELECT k.outcome, k.fingerprint INTO done, done_fingerprint FROM ntm_idempotency k WHERE k.key = idempotency_key;
    IF FOUND THEN
      IF done_fingerprint IS NOT NULL AND ntm_append.fingerprint IS NOT NULL
          AND done_fingerprint <> ntm_append.fingerprint THEN
        RETURN jsonb_build_object('reused', true);
      END IF;
      RETURN jsonb_build_object('results', done::jsonb, 'replayed', true);
    END IF;
  END IF;

  IF jsonb_array_length(writes) = 1 AND jsonb_array_length(writes->0->'events') = 1 THEN
    -- One event to one stream: read both heads, check and insert in one statement. Nothing inserted: a conflict,
    -- described by the general path below.
    INSERT INTO ntm_events (position, stream, stream_version, type, version, data, recorded_at, hash, stream_hash)
      SELECT p.n, x.stream, x.v + 1, x.e->>'type', (x.e->>'version')::integer, x.e->>'data', ntm_append.recorded_at,
          encode(sha256(convert_to(coalesce(g.hash, genesis) || E'\\n' || p.n || E'\\n' || (x.e->>'content'), 'UTF8')),
            'hex'),
          encode(sha256(convert_to(coalesce(x.tip, genesis) || E'\\n' || (x.v + 1) || E'\\n' || (x.e->>'content'),
            'UTF8')), 'hex')
        FROM (
          SELECT one.stream, one.expected, one.e, coalesce(h.v, 0) AS v, h.tip
            FROM (SELECT writes->0->>'stream' AS stream, writes->0->'expected' AS expected,
                writes->0->'events'->0 AS e) one
            LEFT JOIN LATERAL (
              SELECT ev.stream_version AS v, ev.stream_hash AS tip FROM ntm_events ev
                WHERE ev.stream = one.stream ORDER BY ev.stream_version DESC LIMIT 1
            ) h ON true
        ) x
        LEFT JOIN LATERAL (SELECT ev.hash FROM ntm_events ev ORDER BY ev.position DESC LIMIT 1) g ON true
        CROSS JOIN LATERAL (SELECT nextval('ntm_events_position_seq') AS n) p
        WHERE jsonb_typeof(x.expected) <> 'number' OR x.expected::integer = x.v
      RETURNING ntm_events.position, ntm_events.stream_version INTO pos, sv;
    IF FOUND THEN
      results := jsonb_build_array(jsonb_build_object('streamVersion', sv, 'position', pos));
      IF idempotency_key IS NOT NULL THEN
        INSERT INTO ntm_idempotency (key, outcome, fingerprint, first_position)
          VALUES (idempotency_key, results::text, ntm_append.fingerprint, pos);
      END IF;
      RETURN jsonb_build_object('results', results);
    END IF;
  END IF;

  -- Every write's starting version (its stream's head plus the events of earlier writes to it in this call), its
  -- stream's last hash, the first conflict, and the log's last hash: one statement.
  SELECT array_agg(c.actual ORDER BY c.ord), array_agg(c.tip ORDER BY c.ord),
      (array_agg(jsonb_build_object('stream', c.stream, 'expected', c.expected, 'actual', c.actual) ORDER BY c.ord)
        FILTER (WHERE jsonb_typeof(c.expected) = 'number' AND c.expected::integer <> c.actual))[1],
      (SELECT ev.hash FROM ntm_events ev ORDER BY ev.position DESC LIMIT 1)
    INTO starts, tips, conflict, previous
    FROM (
      SELECT w.ord, w.stream, w.expected, h.tip,
          (coalesce(h.v, 0) + coalesce(sum(jsonb_array_length(w.events)) OVER (PARTITION BY w.stream
            ORDER BY w.ord ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0))::integer AS actual
        FROM ROWS FROM (jsonb_to_recordset(writes) AS (stream text, expected jsonb, events jsonb))
          WITH ORDINALITY AS w(stream, expected, events, ord)
        LEFT JOIN LATERAL (
          SELECT ev.stream_version AS v, ev.stream_hash AS tip FROM ntm_events ev
            WHERE ev.stream = w.stream ORDER BY ev.stream_version DESC LIMIT 1
        ) h ON true
    ) c;
  IF conflict IS NOT NULL THEN
    RETURN jsonb_build_object('conflict', conflict);
  END IF;
  previous := coalesce(previous, genesis);
  FOR i IN 1 .. coalesce(array_length(starts, 1), 0) LOOP
    w := writes->(i - 1);
    s := w->>'stream';
    events := w->'events';
    sv := starts[i];
    stream_previous := coalesce(chained->>s, tips[i], genesis);
    pos := 0;
    FOR j IN 0 .. jsonb_array_length(events) - 1 LOOP
      e := events->j;
      sv := sv + 1;
      INSERT INTO ntm_events (position, stream, stream_version, type, version, data, recorded_at, hash, stream_hash)
        SELECT p.n, s, sv, e->>'type', (e->>'version')::integer, e->>'data', ntm_append.recorded_at,
            encode(sha256(convert_to(previous || E'\\n' || p.n || E'\\n' || (e->>'content'), 'UTF8')), 'hex'),
            encode(sha256(convert_to(stream_previous || E'\\n' || sv || E'\\n' || (e->>'content'), 'UTF8')), 'hex')
          FROM (SELECT nextval('ntm_events_position_seq') AS n) p
        RETURNING ntm_events.position, ntm_events.hash, ntm_events.stream_hash INTO pos, previous, stream_previous;
      first_pos := coalesce(first_pos, pos);
    END LOOP;
    chained := chained || jsonb_build_object(s, stream_previous);
    results := results || jsonb_build_array(jsonb_build_object('streamVersion', sv, 'position', pos));
  END LOOP;
  IF idempotency_key IS NOT NULL THEN
    INSERT INTO ntm_idempotency (key, outcome, fingerprint, first_position)
      VALUES (idempotency_key, results::text, ntm_append.fingerprint, first_pos);
  END IF;
  RETURN jsonb_build_object('results', results);
END
$fn$`

/**
 * `ntm_append` (four arguments) as migration 8 replaces it: as {@link appendFunction}, and in order. Under the append
 * lock it
 *
 * - draws each position as the log's last plus one, instead of from the sequence: a sequence is not rolled back with
 *   the transaction that drew from it, so an append that failed after drawing (a conflict found late, a dropped
 *   connection, the caller's transaction rolled back) left a gap, and `SqlEventStore.verify` could not tell it from
 *   events deleted. Positions now follow one another with no gap, as on SQLite. It sets the sequence to the last
 *   position it drew, so that migration 5's function, still called by servers of earlier builds during an upgrade,
 *   draws past it;
 * - records nothing earlier than the log's last event: when the caller's time is behind it (another server's clock
 *   is ahead), it appends nothing and returns `{ "behind": <the last recorded time> }`, and the caller appends again
 *   at that time (the content hashes cover the recorded time, so the caller computes them again).
 */
const appendFunctionInOrder = `
CREATE OR REPLACE FUNCTION ntm_append(writes jsonb, idempotency_key text, recorded_at bigint, fingerprint text)
RETURNS jsonb
LANGUAGE plpgsql
VOLATILE
AS $fn$
DECLARE
  genesis CONSTANT text := repeat('0', 64);
  done text;
  done_fingerprint text;
  first_pos bigint;
  conflict jsonb;
  starts integer[];
  tips text[];
  chained jsonb := '{}';
  previous text;
  stream_previous text;
  w jsonb;
  events jsonb;
  e jsonb;
  s text;
  sv integer;
  pos bigint;
  next_pos bigint;
  last_at bigint;
  results jsonb := '[]';
BEGIN
  -- The lock first: every statement below sees all appends committed before it was granted.
  PERFORM pg_advisory_xact_lock(7464001);
  IF idempotency_key IS NOT NULL THEN
    SELECT k.outcome, k.fingerprint INTO done, done_fingerprint FROM ntm_idempotency k WHERE k.key = idempotency_key;
    IF FOUND THEN
      IF done_fingerprint IS NOT NULL AND ntm_append.fingerprint IS NOT NULL
          AND done_fingerprint <> ntm_append.fingerprint THEN
        RETURN jsonb_build_object('reused', true);
      END IF;
      RETURN jsonb_build_object('results', done::jsonb, 'replayed', true);
    END IF;
  END IF;

  IF jsonb_array_length(writes) = 1 AND jsonb_array_length(writes->0->'events') = 1 THEN
    -- One event to one stream: read both heads, check and insert in one statement. Nothing inserted: a conflict
    -- or a clock behind the log's, described by the general path below.
    INSERT INTO ntm_events (position, stream, stream_version, type, version, data, recorded_at, hash, stream_hash)
      SELECT p.n, x.stream, x.v + 1, x.e->>'type', (x.e->>'version')::integer, x.e->>'data', ntm_append.recorded_at,
          encode(sha256(convert_to(coalesce(g.hash, genesis) || E'\\n' || p.n || E'\\n' || (x.e->>'content'), 'UTF8')),
            'hex'),
          encode(sha256(convert_to(coalesce(x.tip, genesis) || E'\\n' || (x.v + 1) || E'\\n' || (x.e->>'content'),
            'UTF8')), 'hex')
        FROM (
          SELECT one.stream, one.expected, one.e, coalesce(h.v, 0) AS v, h.tip
            FROM (SELECT writes->0->>'stream' AS stream, writes->0->'expected' AS expected,
                writes->0->'events'->0 AS e) one
            LEFT JOIN LATERAL (
              SELECT ev.stream_version AS v, ev.stream_hash AS tip FROM ntm_events ev
                WHERE ev.stream = one.stream ORDER BY ev.stream_version DESC LIMIT 1
            ) h ON true
        ) x
        LEFT JOIN LATERAL (
          SELECT ev.position, ev.hash, ev.recorded_at FROM ntm_events ev ORDER BY ev.position DESC LIMIT 1
        ) g ON true
        CROSS JOIN LATERAL (SELECT coalesce(g.position, 0) + 1 AS n) p
        WHERE (jsonb_typeof(x.expected) <> 'number' OR x.expected::integer = x.v)
          AND coalesce(g.recorded_at, 0) <= ntm_append.recorded_at
      RETURNING ntm_events.position, ntm_events.stream_version INTO pos, sv;
    IF FOUND THEN
      -- The sequence kept at the last position, for the three-argument function of earlier builds.
      PERFORM setval('ntm_events_position_seq', pos);
      results := jsonb_build_array(jsonb_build_object('streamVersion', sv, 'position', pos));
      IF idempotency_key IS NOT NULL THEN
        INSERT INTO ntm_idempotency (key, outcome, fingerprint, first_position)
          VALUES (idempotency_key, results::text, ntm_append.fingerprint, pos);
      END IF;
      RETURN jsonb_build_object('results', results);
    END IF;
  END IF;

  -- Every write's starting version (its stream's head plus the events of earlier writes to it in this call), its
  -- stream's last hash, and the first conflict: one statement.
  SELECT array_agg(c.actual ORDER BY c.ord), array_agg(c.tip ORDER BY c.ord),
      (array_agg(jsonb_build_object('stream', c.stream, 'expected', c.expected, 'actual', c.actual) ORDER BY c.ord)
        FILTER (WHERE jsonb_typeof(c.expected) = 'number' AND c.expected::integer <> c.actual))[1]
    INTO starts, tips, conflict
    FROM (
      SELECT w.ord, w.stream, w.expected, h.tip,
          (coalesce(h.v, 0) + coalesce(sum(jsonb_array_length(w.events)) OVER (PARTITION BY w.stream
            ORDER BY w.ord ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0))::integer AS actual
        FROM ROWS FROM (jsonb_to_recordset(writes) AS (stream text, expected jsonb, events jsonb))
          WITH ORDINALITY AS w(stream, expected, events, ord)
        LEFT JOIN LATERAL (
          SELECT ev.stream_version AS v, ev.stream_hash AS tip FROM ntm_events ev
            WHERE ev.stream = w.stream ORDER BY ev.stream_version DESC LIMIT 1
        ) h ON true
    ) c;
  IF conflict IS NOT NULL THEN
    RETURN jsonb_build_object('conflict', conflict);
  END IF;
  -- The log's last event: positions follow it with no gap, and no event is recorded before it.
  SELECT ev.position, ev.hash, ev.recorded_at INTO next_pos, previous, last_at
    FROM ntm_events ev ORDER BY ev.position DESC LIMIT 1;
  IF last_at > ntm_append.recorded_at THEN
    RETURN jsonb_build_object('behind', last_at);
  END IF;
  next_pos := coalesce(next_pos, 0);
  previous := coalesce(previous, genesis);
  FOR i IN 1 .. coalesce(array_length(starts, 1), 0) LOOP
    w := writes->(i - 1);
    s := w->>'stream';
    events := w->'events';
    sv := starts[i];
    stream_previous := coalesce(chained->>s, tips[i], genesis);
    pos := 0;
    FOR j IN 0 .. jsonb_array_length(events) - 1 LOOP
      e := events->j;
      sv := sv + 1;
      next_pos := next_pos + 1;
      INSERT INTO ntm_events (position, stream, stream_version, type, version, data, recorded_at, hash, stream_hash)
        SELECT p.n, s, sv, e->>'type', (e->>'version')::integer, e->>'data', ntm_append.recorded_at,
            encode(sha256(convert_to(previous || E'\\n' || p.n || E'\\n' || (e->>'content'), 'UTF8')), 'hex'),
            encode(sha256(convert_to(stream_previous || E'\\n' || sv || E'\\n' || (e->>'content'), 'UTF8')), 'hex')
          FROM (SELECT next_pos AS n) p
        RETURNING ntm_events.position, ntm_events.hash, ntm_events.stream_hash INTO pos, previous, stream_previous;
      first_pos := coalesce(first_pos, pos);
    END LOOP;
    chained := chained || jsonb_build_object(s, stream_previous);
    results := results || jsonb_build_array(jsonb_build_object('streamVersion', sv, 'position', pos));
  END LOOP;
  IF next_pos > 0 THEN
    PERFORM setval('ntm_events_position_seq', next_pos);
  END IF;
  IF idempotency_key IS NOT NULL THEN
    INSERT INTO ntm_idempotency (key, outcome, fingerprint, first_position)
      VALUES (idempotency_key, results::text, ntm_append.fingerprint, first_pos);
  END IF;
  RETURN jsonb_build_object('results', results);
END
$fn$`

/**
 * The migrations, by id and name.
 *
 * @since 0.1.0
 */
export const migrations: Record<string, Effect.Effect<void, unknown, SqlClient.SqlClient>> = {
  "1_events": Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql.onDialectOrElse({
      pg: () => sql`
        CREATE TABLE IF NOT EXISTS ntm_events (
          position BIGSERIAL PRIMARY KEY,
          stream TEXT NOT NULL,
          stream_version INTEGER NOT NULL,
          type TEXT NOT NULL,
          version INTEGER NOT NULL,
          data TEXT NOT NULL,
          recorded_at BIGINT NOT NULL,
          UNIQUE (stream, stream_version)
        )`,
      orElse: () => sql`
        CREATE TABLE IF NOT EXISTS ntm_events (
          position INTEGER PRIMARY KEY AUTOINCREMENT,
          stream TEXT NOT NULL,
          stream_version INTEGER NOT NULL,
          type TEXT NOT NULL,
          version INTEGER NOT NULL,
          data TEXT NOT NULL,
          recorded_at INTEGER NOT NULL,
          UNIQUE (stream, stream_version)
        )`
    })
    yield* sql`CREATE INDEX IF NOT EXISTS ntm_events_recorded_at ON ntm_events (recorded_at)`
  }),
  "2_hash_chain": Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    // Each event's hash over its canonical encoding and the previous event's hash: in the global log (`hash`) and
    // in its stream (`stream_hash`).
    yield* sql`ALTER TABLE ntm_events ADD COLUMN hash TEXT`
    yield* sql`ALTER TABLE ntm_events ADD COLUMN stream_hash TEXT`
  }),
  "3_idempotency": Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    // The outcome of each command that named an idempotency key, written in the same transaction as its events.
    yield* sql`CREATE TABLE IF NOT EXISTS ntm_idempotency (key TEXT PRIMARY KEY, outcome TEXT NOT NULL)`
  }),
  "4_snapshots": Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    // Snapshots of projections (a ledger as JSON) at a position of the log.
    yield* sql`CREATE TABLE IF NOT EXISTS ntm_snapshots (
      name TEXT NOT NULL,
      position BIGINT NOT NULL,
      data TEXT NOT NULL,
      PRIMARY KEY (name, position)
    )`
  }),
  "5_append_function": Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    // PostgreSQL: a whole append in one statement, so one round trip (see `appendFunction5`). SQLite appends in
    // TypeScript, in process.
    yield* sql.onDialectOrElse({ pg: () => sql.unsafe(appendFunction5), orElse: () => Effect.void })
  }),
  "6_idempotency_fingerprint": Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    // With each key, what the request was (the SHA-256 of its fingerprint; NULL for keys recorded before, which are
    // not checked) and the first position its append drew (NULL when it appended nothing), so that a retry answers
    // the events recorded the first time.
    yield* sql`ALTER TABLE ntm_idempotency ADD COLUMN fingerprint TEXT`
    yield* sql`ALTER TABLE ntm_idempotency ADD COLUMN first_position BIGINT`
    // PostgreSQL: the four-argument `ntm_append` beside migration 5's, which stays for servers of the earlier build
    // still running during an upgrade (their keys are recorded without a fingerprint, so never checked).
    yield* sql.onDialectOrElse({ pg: () => sql.unsafe(appendFunction), orElse: () => Effect.void })
  }),
  "7_anchors": Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    // Signed checkpoints of the log's head (see `Anchor`), by key and position. A convenience: the published file
    // is what verify trusts, since whoever can write this table can delete from it.
    yield* sql`CREATE TABLE IF NOT EXISTS ntm_anchors (
      key TEXT NOT NULL,
      position BIGINT NOT NULL,
      hash TEXT NOT NULL,
      recorded_at BIGINT NOT NULL,
      signed_at BIGINT NOT NULL,
      signature TEXT NOT NULL,
      PRIMARY KEY (key, position)
    )`
  }),
  "8_append_in_order": Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    // PostgreSQL: positions with no gap and recording times never going back (see `appendFunctionInOrder`). SQLite
    // draws positions in the append's transaction and reads the last recorded time in it (see `SqlEventStore`).
    yield* sql.onDialectOrElse({ pg: () => sql.unsafe(appendFunctionInOrder), orElse: () => Effect.void })
  })
}

/**
 * Runs the migrations that have not run yet.
 *
 * @since 0.1.0
 */
export const run = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  // Two processes starting at once on PostgreSQL would race to create the migrator's table; create it first, under
  // a transaction-scoped advisory lock. The migrator then locks that table while it runs, so the second process
  // waits and finds nothing left to do.
  if (sql.onDialectOrElse({ pg: () => true, orElse: () => false })) {
    yield* sql.withTransaction(
      Effect.zipRight(
        sql`SELECT pg_advisory_xact_lock(${migrationLock})`,
        sql`CREATE TABLE IF NOT EXISTS ntm_migrations (
          migration_id integer primary key,
          created_at timestamp with time zone not null default now(),
          name text not null
        )`
      )
    )
  }
  return yield* Migrator.make({})({ loader: Migrator.fromRecord(migrations), table: "ntm_migrations" })
})
