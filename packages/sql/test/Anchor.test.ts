import * as Crypto from "node:crypto"
import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as SqlClient from "@effect/sql/SqlClient"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { describe, expect, it } from "@effect/vitest"
import { EventStore } from "@ntm/core"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as TestClock from "effect/TestClock"
import * as TestServices from "effect/TestServices"
import * as Anchor from "../src/Anchor.js"
import * as HashChain from "../src/HashChain.js"
import * as SqlEventStore from "../src/SqlEventStore.js"
import { freshDatabase } from "./pg.js"

type Env = EventStore.EventStore | SqlClient.SqlClient

const over = <E>(client: Layer.Layer<SqlClient.SqlClient, E>) =>
  SqlEventStore.layer.pipe(Layer.provideMerge(client)) as Layer.Layer<Env>

const dialects = [
  ["SQLite", () => over(SqliteClient.layer({ filename: ":memory:" }))],
  ["PostgreSQL", () => over(freshDatabase)]
] as const

const start = Date.UTC(2026, 0, 5, 8)
const event = (n: number): EventStore.EventData => ({ type: "TestEvent", version: 1, data: { n } })

const keys = Anchor.generate()
const signer = Anchor.signerOf(keys.privatePem)
const publicKeys = new Map([[signer.key, Crypto.createPublicKey(keys.publicPem)]])

/**
 * Eight events on two streams, a minute apart; anchors signed at positions 4 and 8. Returns the anchors as a
 * published file would list them.
 */
const history = Effect.gen(function* () {
  const store = yield* EventStore.EventStore
  yield* TestClock.setTime(start)
  for (let n = 1; n <= 8; n++) {
    yield* store.append(n % 2 === 0 ? "a" : "b", "any", [event(n)])
    yield* TestClock.adjust("1 minute")
    if (n === 4 || n === 8) expect((yield* Anchor.checkpoint(signer))?.position).toBe(n)
  }
  return (yield* Anchor.stored).map((anchor, i) => ({ line: i + 1, anchor }))
})

const verifyWith = (list: ReadonlyArray<{ line: number; anchor: Anchor.Anchor }>) =>
  SqlEventStore.verify({ anchors: { list, keys: publicKeys } })

/** What someone who can write the database does after an edit: recompute every hash from `from` on. */
const recompute = (from: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const before = yield* sql<{ hash: string }>`SELECT hash FROM ntm_events WHERE position < ${from}
      ORDER BY position DESC LIMIT 1`
    let previous = before[0]?.hash ?? HashChain.genesis
    const rows = yield* sql<{
      position: number | string
      stream: string
      stream_version: number | string
      type: string
      version: number | string
      data: string
      recorded_at: number | string
    }>`SELECT position, stream, stream_version, type, version, data, recorded_at FROM ntm_events
      WHERE position >= ${from} ORDER BY position`
    for (const r of rows) {
      const tip = yield* sql<{ stream_hash: string }>`SELECT stream_hash FROM ntm_events
        WHERE stream = ${r.stream} AND stream_version = ${Number(r.stream_version) - 1}`
      const content = HashChain.contentHash(r.stream, r.type, Number(r.version), Number(r.recorded_at), r.data)
      previous = HashChain.chainHash(previous, Number(r.position), content)
      const streamHash = HashChain.chainHash(
        tip[0]?.stream_hash ?? HashChain.genesis,
        Number(r.stream_version),
        content
      )
      yield* sql`UPDATE ntm_events SET hash = ${previous}, stream_hash = ${streamHash} WHERE position = ${r.position}`
    }
  })

const faultTags = (v: SqlEventStore.Verified) => v.faults.map((f) => f._tag)

for (const [name, layer] of dialects) {
  describe(`anchors: ${name}`, () => {
    it.effect("an untouched log agrees with its anchors and has no fault", () =>
      Effect.gen(function* () {
        const anchors = yield* history
        const v = yield* verifyWith(anchors)
        expect(v).toMatchObject({ checked: 8, faults: [], anchors: 2 })
      }).pipe(Effect.provide(layer()))
    )

    it.effect("a row rewritten with every hash recomputed: the chain holds, the first anchor after it does not", () =>
      Effect.gen(function* () {
        const anchors = yield* history
        const sql = yield* SqlClient.SqlClient
        yield* sql`UPDATE ntm_events SET data = ${JSON.stringify({ n: 99 })} WHERE position = 2`
        expect(faultTags(yield* SqlEventStore.verify())).toEqual(["HashMismatch"])
        yield* recompute(2)
        // Without anchors nothing shows: that is what anchoring is for.
        expect(yield* SqlEventStore.verify()).toMatchObject({ checked: 8, faults: [] })
        const v = yield* verifyWith(anchors)
        expect(v.faults).toEqual([
          {
            _tag: "AnchorMismatch",
            position: 4,
            key: signer.key,
            anchored: anchors[0]!.anchor.hash,
            found: expect.any(String),
            after: 0
          }
        ])
      }).pipe(Effect.provide(layer()))
    )

    it.effect("the last events deleted: the log ends before its last anchor", () =>
      Effect.gen(function* () {
        const anchors = yield* history
        const sql = yield* SqlClient.SqlClient
        yield* sql`DELETE FROM ntm_events WHERE position > 6`
        expect((yield* SqlEventStore.verify()).faults).toEqual([])
        expect((yield* verifyWith(anchors)).faults).toEqual([
          { _tag: "Truncated", anchored: 8, key: signer.key, head: 6 }
        ])
      }).pipe(Effect.provide(layer()))
    )

    it.effect("an event appended with a back-dated recording time and its hashes computed", () =>
      Effect.gen(function* () {
        const anchors = yield* history
        const sql = yield* SqlClient.SqlClient
        const last = (yield* Anchor.head)!
        const data = JSON.stringify({ n: 9 })
        const at = start + 30_000
        const content = HashChain.contentHash("b", "TestEvent", 1, at, data)
        const tip = yield* sql<{ stream_hash: string }>`SELECT stream_hash FROM ntm_events WHERE stream = 'b'
          ORDER BY stream_version DESC LIMIT 1`
        yield* sql`INSERT INTO ntm_events (position, stream, stream_version, type, version, data, recorded_at, hash,
          stream_hash) VALUES (9, 'b', 5, 'TestEvent', 1, ${data}, ${at},
          ${HashChain.chainHash(last.hash, 9, content)}, ${HashChain.chainHash(tip[0]!.stream_hash, 5, content)})`
        const expected = [{ _tag: "TimeReversed", position: 9, recordedAt: at, previous: last.recordedAt }]
        expect((yield* SqlEventStore.verify()).faults).toEqual(expected)
        expect((yield* verifyWith(anchors)).faults).toEqual(expected)
      }).pipe(Effect.provide(layer()))
    )

    it.effect("the last events deleted and the log appended to again", () =>
      Effect.gen(function* () {
        const anchors = yield* history
        const sql = yield* SqlClient.SqlClient
        const store = yield* EventStore.EventStore
        yield* sql`DELETE FROM ntm_events WHERE position > 5`
        yield* store.append("c", 0, [event(10), event(11)])
        const v = yield* verifyWith(anchors)
        if (name === "SQLite") {
          // AUTOINCREMENT never hands out a position twice: the new events come after a jump, and the anchored
          // position 8 is gone.
          expect(yield* SqlEventStore.verify()).toMatchObject({
            faults: [{ _tag: "PositionJump", position: 9, expected: 6 }]
          })
          expect(v.faults).toEqual([
            {
              _tag: "AnchorMismatch",
              position: 8,
              key: signer.key,
              anchored: anchors[1]!.anchor.hash,
              found: null,
              after: 4
            },
            { _tag: "PositionJump", position: 9, expected: 6 }
          ])
        } else {
          // PostgreSQL draws positions with no gap: the new events take 6 and 7, and the log ends before 8.
          expect((yield* SqlEventStore.verify()).faults).toEqual([])
          expect(v.faults).toEqual([{ _tag: "Truncated", anchored: 8, key: signer.key, head: 7 }])
        }
      }).pipe(Effect.provide(layer()))
    )

    it.effect("an anchor altered in the published file, or signed by a key not given, is named by its line", () =>
      Effect.gen(function* () {
        const anchors = yield* history
        const forged = new Anchor.Anchor({ ...anchors[1]!.anchor, hash: "f".repeat(64) })
        const v = yield* verifyWith([anchors[0]!, { line: 2, anchor: forged }])
        expect(v.faults).toEqual([
          { _tag: "AnchorUnverified", line: 2, position: 8, key: signer.key, reason: "bad signature" }
        ])
        const other = Anchor.signerOf(Anchor.generate().privatePem)
        const stranger = Anchor.sign(other, { position: 8, hash: "e".repeat(64), recordedAt: 0 }, start)
        expect((yield* verifyWith([{ line: 7, anchor: stranger }])).faults).toEqual([
          { _tag: "AnchorUnverified", line: 7, position: 8, key: other.key, reason: "unknown key" }
        ])
      }).pipe(Effect.provide(layer()))
    )
  })
}

describe("anchoring on a schedule", () => {
  it.effect("signs after so many events, after so long when the log moved, and once more when stopped", () =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      const file = join(mkdtempSync(join(tmpdir(), "ntm-anchor-")), "anchors.jsonl")
      yield* TestClock.setTime(start)
      const running = yield* Effect.fork(
        Anchor.run(signer, { every: "10 minutes", events: 3, poll: "30 seconds" }, { file })
      )
      const stored = Effect.map(Anchor.stored, (list) => list.map((a) => a.position))
      // The signer writes the published file asynchronously (real I/O, which the test clock does not wait for):
      // give what it stores up to two seconds of real time to reach what is expected, then compare.
      const signed = (expected: ReadonlyArray<number>) =>
        Effect.gen(function* () {
          let now = yield* stored
          for (let i = 0; i < 80 && JSON.stringify(now) !== JSON.stringify(expected); i++) {
            yield* TestServices.provideLive(Effect.sleep("25 millis"))
            now = yield* stored
          }
          expect(now).toEqual(expected)
        })
      yield* store.append("s", "any", [event(1), event(2)])
      yield* TestClock.adjust("30 seconds")
      // Two events and not yet ten minutes since the start: the first look signs, as nothing was ever signed.
      yield* signed([2])
      yield* store.append("s", "any", [event(3)])
      yield* TestClock.adjust("5 minutes")
      yield* signed([2])
      yield* store.append("s", "any", [event(4), event(5)])
      yield* TestClock.adjust("30 seconds")
      yield* signed([2, 5])
      yield* store.append("s", "any", [event(6)])
      yield* TestClock.adjust("11 minutes")
      yield* signed([2, 5, 6])
      yield* TestClock.adjust("30 minutes")
      yield* signed([2, 5, 6])
      yield* store.append("s", "any", [event(7)])
      yield* Fiber.interrupt(running)
      yield* signed([2, 5, 6, 7])
      const published = yield* Anchor.readFile(file)
      expect(published.map((p) => p.anchor)).toEqual(yield* Anchor.stored)
      expect(readFileSync(file, "utf8").trim().split("\n")).toHaveLength(4)
      expect((yield* SqlEventStore.verify({ anchors: { list: published, keys: publicKeys } })).faults).toEqual([])
    }).pipe(Effect.provide(over(SqliteClient.layer({ filename: ":memory:" }))))
  )
})

for (const [name, layer] of dialects) {
  describe(`the store keeps positions and recording times in order: ${name}`, () => {
    it.effect("a second writer whose clock is behind records at the log's last time, not before it", () =>
      Effect.gen(function* () {
        const ahead = yield* EventStore.EventStore
        yield* TestClock.setTime(start)
        yield* ahead.append("clock", 0, [event(1)])
        // Another server (a store of its own) whose clock is an hour behind.
        const behind = yield* SqlEventStore.make
        yield* TestClock.setTime(start - 3_600_000)
        yield* behind.append("clock", 1, [event(2)])
        yield* behind.appendMany([
          { stream: "clock", expected: 2, events: [event(3)] },
          { stream: "other", expected: 0, events: [event(4)] }
        ])
        const times = (yield* ahead.readStream("clock")).map((e) => e.recordedAt)
        expect(times).toEqual([start, start, start])
        expect((yield* SqlEventStore.verify()).faults).toEqual([])
      }).pipe(Effect.provide(layer()))
    )

    it.effect("an append rolled back leaves no gap in positions", () =>
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const sql = yield* SqlClient.SqlClient
        yield* store.append("gap", 0, [event(1)])
        const failed = yield* sql
          .withTransaction(Effect.zipRight(store.append("gap", 1, [event(2), event(3)]), Effect.fail("rolled back")))
          .pipe(Effect.flip)
        expect(failed).toBe("rolled back")
        // A conflict found by the one-event path.
        yield* Effect.flip(store.append("gap", 7, [event(4)]))
        const r = yield* store.append("gap", 1, [event(5)])
        expect(r.position).toBe(2)
        expect((yield* SqlEventStore.verify()).faults).toEqual([])
      }).pipe(Effect.provide(layer()))
    )
  })
}

describe("PostgreSQL during an upgrade", () => {
  it.effect("a server of an earlier build, calling migration 5's function, draws positions after the new ones", () =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      const sql = yield* SqlClient.SqlClient
      yield* store.append("upgrade", 0, [event(1), event(2)])
      yield* store.append("upgrade", 2, [event(3)])
      // The three-argument ntm_append draws from the sequence, which the new function keeps at the last position.
      const data = JSON.stringify(event(4).data)
      const at = (yield* Anchor.head)!.recordedAt
      const payload = JSON.stringify([
        {
          stream: "upgrade",
          expected: 3,
          events: [
            { type: "TestEvent", version: 1, data, content: HashChain.contentHash("upgrade", "TestEvent", 1, at, data) }
          ]
        }
      ])
      const [row] = yield* sql<{ r: { results: ReadonlyArray<{ position: number }> } }>`SELECT
        ntm_append(${payload}::jsonb, NULL::text, ${at}::bigint) AS r`
      expect(row!.r.results[0]!.position).toBe(4)
      expect((yield* SqlEventStore.verify()).faults).toEqual([])
    }).pipe(Effect.provide(over(freshDatabase)))
  )
})
