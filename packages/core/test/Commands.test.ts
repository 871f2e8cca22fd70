import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Stream from "effect/Stream"
import { catalogId } from "../src/Catalog.js"
import * as CommandHandler from "../src/CommandHandler.js"
import * as Commands from "../src/Commands.js"
import * as EventStore from "../src/EventStore.js"
import * as Events from "../src/Events.js"
import * as Evidence from "../src/Evidence.js"
import * as EvidenceValue from "../src/EvidenceValue.js"
import * as Hierarchy from "../src/Hierarchy.js"
import * as Ledger from "../src/Ledger.js"
import * as Recognition from "../src/Recognition.js"
import * as Scorecard from "../src/Scorecard.js"
import { standardId } from "../src/Standard.js"
import {
  admin,
  communeCatalog,
  communeOfficer,
  date,
  districtCatalog,
  importer,
  memoryStore,
  name,
  provinceOfficer,
  unit
} from "./fixtures.js"

const setup = Effect.gen(function* () {
  yield* Commands.publishCatalog(communeCatalog(), admin)
  yield* Commands.publishCatalog(districtCatalog(), admin)
  const by = admin
  const effective = date("2020-01-01")
  yield* Commands.changeHierarchy(
    new Hierarchy.EstablishUnit({
      unit: unit("p"),
      kind: "province",
      name: name("Tỉnh P"),
      classes: { region: "A" },
      effective,
      by
    })
  )
  yield* Commands.changeHierarchy(
    new Hierarchy.EstablishUnit({
      unit: unit("p/d"),
      kind: "district",
      name: name("Huyện D"),
      parent: unit("p"),
      effective,
      by
    })
  )
  for (const c of ["x1", "x2"]) {
    yield* Commands.changeHierarchy(
      new Hierarchy.EstablishUnit({
        unit: unit(`p/d/${c}`),
        kind: "commune",
        name: name(`Xã ${c}`),
        parent: unit("p/d"),
        effective,
        by
      })
    )
  }
})

const ledger = Effect.gen(function* () {
  const store = yield* EventStore.EventStore
  const recorded = yield* Stream.runCollect(store.readAll())
  return Ledger.fold(Chunk.toReadonlyArray(recorded).map((r) => Either.getOrThrow(Events.decode(r))))
})

const record = (
  entry: string,
  code: string,
  value: EvidenceValue.EvidenceValue,
  effective: string,
  handling?: Commands.Handling
) =>
  Commands.evidence(
    new Evidence.RecordEvidence({
      entry,
      unit: unit("p/d/x1"),
      catalog: catalogId("test/commune"),
      code,
      value,
      effective: date(effective),
      sources: [new Evidence.DocumentRef({ title: "Báo cáo / report" })],
      by: communeOfficer("p/d/x1")
    }),
    handling
  )

/** Evidence that 1.1 of p/d/x1 is attained, recorded with a handling. */
const attained = (entry: string, handling: Commands.Handling) =>
  record(entry, "1.1", new EvidenceValue.Attained({ attained: true }), "2023-01-01", handling)

describe("Commands", () => {
  it.effect("with a state cache, a load reads only the events appended since and folds to the same state", () =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      const reads: Array<{ readonly stream: string; readonly from: number }> = []
      const counting = EventStore.EventStore.of({
        ...store,
        readStream: (stream, options) => {
          reads.push({ stream, from: options?.fromVersion ?? 1 })
          return store.readStream(stream, options)
        }
      })
      const cache = CommandHandler.makeStateCache()
      const cached = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
        effect.pipe(
          Effect.provideService(EventStore.EventStore, counting),
          Effect.provideService(CommandHandler.CurrentStateCache, { cache })
        )
      yield* cached(setup)
      yield* cached(record("c1", "1.1", new EvidenceValue.Attained({ attained: true }), "2023-01-01"))
      yield* cached(record("c2", "1.2", new EvidenceValue.Percent({ value: 80 }), "2023-01-01"))
      reads.length = 0
      yield* cached(record("c3", "1.2", new EvidenceValue.Percent({ value: 60 }), "2023-02-01"))
      // The hierarchy (4 events, cached) is read from after them; the evidence stream from after the one event
      // cached when c2 was decided (c2's own event is read now).
      expect(reads.find((r) => r.stream === Hierarchy.streamId)?.from).toBe(5)
      expect(reads.find((r) => r.stream === Evidence.streamId(unit("p/d/x1")))?.from).toBe(2)
      const viaCache = yield* cached(CommandHandler.load(Evidence.decider, Evidence.streamId(unit("p/d/x1"))))
      const fresh = yield* CommandHandler.load(Evidence.decider, Evidence.streamId(unit("p/d/x1")))
      expect(viaCache.version).toBe(3)
      expect(viaCache).toEqual(fresh)
      // A writer that does not share the cache moves the stream on; the cached load still sees it.
      yield* record("c4", "1.1", new EvidenceValue.Attained({ attained: false }), "2023-03-01")
      const after = yield* cached(CommandHandler.load(Evidence.decider, Evidence.streamId(unit("p/d/x1"))))
      expect(after).toEqual(yield* CommandHandler.load(Evidence.decider, Evidence.streamId(unit("p/d/x1"))))
      expect(after.version).toBe(4)
    }).pipe(Effect.provide(memoryStore))
  )

  it.effect("a key with another command is IdempotencyKeyReused naming the key, and appends nothing", () =>
    Effect.gen(function* () {
      yield* setup
      const store = yield* EventStore.EventStore
      const stream = Evidence.streamId(unit("p/d/x1"))
      const first = yield* attained("k1", { idempotencyKey: "key" })
      expect(first.events.map((e) => e._tag)).toEqual(["EvidenceRecorded"])
      const reused = yield* Effect.flip(attained("k2", { idempotencyKey: "key" }))
      expect(reused).toMatchObject({ _tag: "IdempotencyKeyReused", key: "key" })
      // The same command naming a version is another request too.
      const versioned = yield* Effect.flip(attained("k1", { idempotencyKey: "key", expectedVersion: 0 }))
      expect(versioned._tag).toBe("IdempotencyKeyReused")
      expect((yield* store.readStream(stream)).length).toBe(1)
    }).pipe(Effect.provide(memoryStore))
  )

  it.effect("a command retried under its key answers what it answered first, If-Match and all, appending nothing", () =>
    Effect.gen(function* () {
      yield* setup
      const store = yield* EventStore.EventStore
      const stream = Evidence.streamId(unit("p/d/x1"))
      const first = yield* attained("k1", { idempotencyKey: "key", expectedVersion: 0 })
      expect(first.streamVersion).toBe(1)
      // The stream moves on; the retry's If-Match (0) no longer holds, and is not what answers it.
      yield* attained("k2", {})
      const retry = yield* attained("k1", { idempotencyKey: "key", expectedVersion: 0 })
      expect(retry).toEqual(first)
      expect((yield* store.readStream(stream)).length).toBe(2)
      // A command already satisfied is recorded under its key with the version it answered.
      const satisfied = yield* attained("k1", { idempotencyKey: "again" })
      expect(satisfied).toEqual({ events: [], streamVersion: 2 })
      yield* attained("k3", {})
      expect(yield* attained("k1", { idempotencyKey: "again" })).toEqual(satisfied)
    }).pipe(Effect.provide(memoryStore))
  )

  it.effect("twenty handlings of one keyed command at once append once and answer the same", () =>
    Effect.gen(function* () {
      yield* setup
      const store = yield* EventStore.EventStore
      const stream = Evidence.streamId(unit("p/d/x1"))
      const outcomes = yield* Effect.all(
        Array.from({ length: 20 }, () => attained("k1", { idempotencyKey: "key" })),
        { concurrency: "unbounded" }
      )
      expect((yield* store.readStream(stream)).length).toBe(1)
      for (const o of outcomes) expect(o).toEqual(outcomes[0])
      expect(outcomes[0]!.events.map((e) => e._tag)).toEqual(["EvidenceRecorded"])
    }).pipe(Effect.provide(memoryStore))
  )

  it.effect(
    "an expected version (If-Match) that is stale fails with a conflict, is not retried and appends nothing",
    () =>
      Effect.gen(function* () {
        yield* setup
        const store = yield* EventStore.EventStore
        const stream = Evidence.streamId(unit("p/d/x1"))
        const first = yield* attained("v1", { expectedVersion: 0 })
        expect(first.streamVersion).toBe(1)
        const stale = yield* Effect.flip(attained("v2", { expectedVersion: 0 }))
        expect(stale).toMatchObject({ _tag: "StreamVersionConflict", stream, expected: 0, actual: 1 })
        expect((yield* store.readStream(stream)).length).toBe(1)
        const fresh = yield* attained("v2", { expectedVersion: 1 })
        expect(fresh.streamVersion).toBe(2)
      }).pipe(Effect.provide(memoryStore))
  )

  it.effect("records evidence and scores a commune as of dates", () =>
    Effect.gen(function* () {
      yield* setup
      yield* record("e1", "1.1", new EvidenceValue.Attained({ attained: true }), "2023-01-01")
      yield* record("e2", "1.2", new EvidenceValue.Percent({ value: 65 }), "2023-06-01")
      yield* record("e3", "1.2", new EvidenceValue.Percent({ value: 75 }), "2024-01-01")
      const l = yield* ledger
      const at = (d: string) =>
        Either.getOrThrow(
          Scorecard.make(l, { unit: unit("p/d/x1"), catalog: catalogId("test/commune"), asOf: date(d) })
        )
      expect(at("2022-12-31").indicators.met).toBe(0)
      expect(at("2023-07-01").indicators.met).toBe(1)
      const now = at("2024-06-01")
      expect(now.indicators).toMatchObject({ total: 4, met: 2, noData: 2 })
      expect(now.criteria[0]!.status).toBe("Met")
      expect(now.criteria[1]!.status).toBe("NoData")
      expect(now.remaining.map((i) => i.code)).toEqual(["2.1", "2.2"])
    }).pipe(Effect.provide(memoryStore))
  )

  it.effect(
    "rejects evidence for a code the catalog lacks, a wrong value type and an unknown unit, appending nothing",
    () =>
      Effect.gen(function* () {
        yield* setup
        const store = yield* EventStore.EventStore
        const before = Chunk.size(yield* Stream.runCollect(store.readAll()))
        const e1 = yield* Effect.flip(
          record("bad1", "9.9", new EvidenceValue.Attained({ attained: true }), "2023-01-01")
        )
        expect(e1._tag).toBe("IndicatorNotInCatalog")
        const e2 = yield* Effect.flip(record("bad2", "1.1", new EvidenceValue.Percent({ value: 50 }), "2023-01-01"))
        expect(e2._tag).toBe("ValueTypeMismatch")
        const e3 = yield* Effect.flip(
          Commands.evidence(
            new Evidence.RecordEvidence({
              entry: "bad3",
              unit: unit("nowhere"),
              catalog: catalogId("test/commune"),
              code: "1.1",
              value: new EvidenceValue.Attained({ attained: true }),
              effective: date("2023-01-01"),
              sources: [],
              // an import acts for the whole country (an officer would be refused: the unit is not in their scope)
              by: importer
            })
          )
        )
        expect(e3._tag).toBe("UnknownUnit")
        const after = Chunk.size(yield* Stream.runCollect(store.readAll()))
        expect(after).toBe(before)
      }).pipe(Effect.provide(memoryStore))
  )

  it.effect("counts recognised communes for a district's share condition as of a date", () =>
    Effect.gen(function* () {
      yield* setup
      yield* Commands.recognise(
        new Recognition.GrantRecognition({
          recognition: "r1",
          unit: unit("p/d/x1"),
          standard: standardId("ntm"),
          catalog: { id: catalogId("test/commune"), version: "1" },
          decision: new Recognition.Decision({ number: "1/QĐ-UBND", date: date("2023-05-01") }),
          effective: date("2023-05-01"),
          by: provinceOfficer("p")
        })
      )
      const l = yield* ledger
      const at = (d: string) =>
        Either.getOrThrow(Scorecard.make(l, { unit: unit("p/d"), catalog: catalogId("test/district"), asOf: date(d) }))
      expect(at("2023-04-30").conditions[0]!.status).toBe("NotMet")
      expect(at("2023-05-01").conditions[0]!.status).toBe("Met")
      expect(at("2023-05-01").conditions[0]!.computed.subunits).toEqual({ count: 1, total: 2, required: 1 })
    }).pipe(Effect.provide(memoryStore))
  )
})
