import * as SqlClient from "@effect/sql/SqlClient"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { describe, expect, it } from "@effect/vitest"
import {
  Actor,
  Bilingual,
  Catalog,
  Commands,
  EventStore,
  Events,
  Evidence,
  EvidenceValue,
  Hierarchy,
  Ledger,
  LocalDate,
  Unit
} from "@ntm/core"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import * as EvidenceReadModel from "../src/EvidenceReadModel.js"
import * as SqlEventStore from "../src/SqlEventStore.js"
import * as SqlProjection from "../src/SqlProjection.js"
import * as SqlSnapshots from "../src/SqlSnapshots.js"
import { freshDatabase } from "./pg.js"

const d = LocalDate.unsafeMake
const admin = new Actor.Actor({ id: "admin", name: "Quản trị / Admin", role: "admin" })
/** Evidence is recorded by an import (`system` may record it for any unit; an admin may not). */
const importer = new Actor.Actor({ id: "import", name: "Nhập dữ liệu / import", role: "system" })
const verified = { status: "verified" as const, sources: ["s"] }
const catalog = Either.getOrThrow(
  Catalog.decode({
    id: "sqltest/commune",
    version: "1",
    name: { vi: "Bộ thử", en: "Test set" },
    appliesTo: ["commune"],
    standard: "ntm",
    legalBasis: [],
    effective: { from: "2020-01-01" },
    provenance: verified,
    sources: [{ id: "s", title: "Test", kind: "official" }],
    criteria: [
      {
        code: "1",
        name: { vi: "Giao thông", en: "Transport" },
        provenance: verified,
        indicators: [
          {
            code: "1.1",
            name: { vi: "Đường", en: "Roads" },
            requirement: { _tag: "Attainment" },
            provenance: verified
          },
          {
            code: "1.2",
            name: { vi: "Tỷ lệ", en: "Share" },
            requirement: { _tag: "MinPercent", threshold: { _tag: "Known", value: 50, ...verified } },
            provenance: verified
          }
        ]
      }
    ]
  })
)
const unit = Unit.unitId("p/x")
const yes = new EvidenceValue.Attained({ attained: true })
const no = new EvidenceValue.Attained({ attained: false })

const record = (
  entry: string,
  code: string,
  value: EvidenceValue.EvidenceValue,
  effective: string,
  validUntil?: string
) =>
  Commands.evidence(
    new Evidence.RecordEvidence({
      entry,
      unit,
      catalog: catalog.id,
      code,
      value,
      effective: d(effective),
      ...(validUntil !== undefined ? { validUntil: d(validUntil) } : {}),
      sources: [],
      by: importer
    })
  )

/** A small history with corrections and retractions; returns nothing, leaves it in the store. */
const history = Effect.gen(function* () {
  yield* Commands.publishCatalog(catalog, admin)
  const by = admin
  const e = d("2020-01-01")
  yield* Commands.changeHierarchy(
    new Hierarchy.EstablishUnit({
      unit: Unit.unitId("p"),
      kind: "province",
      name: Bilingual.make("P", "P"),
      effective: e,
      by
    })
  )
  yield* Commands.changeHierarchy(
    new Hierarchy.EstablishUnit({
      unit,
      kind: "commune",
      name: Bilingual.make("X", "X"),
      parent: Unit.unitId("p"),
      effective: e,
      by
    })
  )
  yield* record("a1", "1.1", no, "2023-01-01")
  yield* record("a2", "1.1", yes, "2024-01-01")
  yield* Commands.evidence(
    new Evidence.CorrectEvidence({
      entry: "a2c",
      unit,
      corrects: "a2",
      value: no,
      sources: [],
      reason: "sai / wrong",
      by: importer
    })
  )
  yield* Commands.evidence(
    new Evidence.RetractEvidence({ unit, entry: "a2c", reason: "nhầm / mistaken", by: importer })
  )
  yield* record("a3", "1.1", yes, "2024-01-01")
  yield* record("b1", "1.2", new EvidenceValue.Percent({ value: 40 }), "2023-01-01")
  yield* record("b2", "1.2", new EvidenceValue.Percent({ value: 60 }), "2023-06-01", "2023-12-31")
  yield* Commands.evidence(new Evidence.RetractEvidence({ unit, entry: "a3", reason: "nhầm / mistaken", by: importer }))
})

const ledger = Effect.gen(function* () {
  const store = yield* EventStore.EventStore
  const all = Chunk.toReadonlyArray(yield* Stream.runCollect(store.readAll()))
  return Ledger.fold(all.map((r) => Either.getOrThrow(Events.decode(r))))
})

const dump = Effect.flatMap(SqlClient.SqlClient, (sql) => sql`SELECT * FROM ntm_rm_evidence ORDER BY entry`)

const dialects: ReadonlyArray<
  readonly [string, () => Layer.Layer<EventStore.EventStore | SqlClient.SqlClient, unknown>]
> = [
  ["SQLite", () => SqlEventStore.layer.pipe(Layer.provideMerge(SqliteClient.layer({ filename: ":memory:" })))],
  ["PostgreSQL", () => SqlEventStore.layer.pipe(Layer.provideMerge(freshDatabase))]
]

for (const [name, layer] of dialects) {
  describe(`SQL projections: ${name}`, () => {
    it.effect(
      "the evidence read model agrees with the core's ledger, and a rebuild from zero equals the live one",
      () =>
        Effect.gen(function* () {
          yield* history
          // Live: caught up in small batches, as the history grew.
          const live = yield* SqlProjection.catchUp(EvidenceReadModel.projection, { batchSize: 3 })
          const l = yield* ledger
          let found = 0
          for (const code of ["1.1", "1.2"]) {
            for (const asOf of ["2022-12-31", "2023-03-01", "2023-07-01", "2024-02-01"]) {
              const expected = Ledger.evidenceAt(l.evidence.get(unit)?.items.get(catalog.id)?.get(code), d(asOf)).entry
              const actual = yield* EvidenceReadModel.inForce({ unit, catalog: catalog.id, code, asOf: d(asOf) })
              expect([code, asOf, actual?.entry]).toEqual([code, asOf, expected?.entry])
              if (actual !== undefined) found++
            }
          }
          // a1, then a2 once its correction was retracted; b1, b2 in its period, b1 after it ended.
          expect(found).toBe(6)
          const before = yield* dump
          const rebuilt = yield* SqlProjection.rebuild(EvidenceReadModel.projection, { batchSize: 1000 })
          expect(rebuilt).toBe(live)
          expect(yield* dump).toEqual(before)
        }).pipe(Effect.provide(layer()))
    )

    it.effect("a ledger restored from a snapshot and brought up to date equals one folded from the start", () =>
      Effect.gen(function* () {
        yield* history
        expect(yield* SqlSnapshots.latest("scorecards")).toBeUndefined()
        yield* SqlSnapshots.save("scorecards", yield* ledger)
        // More history after the snapshot.
        yield* record("c1", "1.1", no, "2025-01-01")
        yield* Commands.evidence(
          new Evidence.RetractEvidence({ unit, entry: "b2", reason: "nhầm / mistaken", by: importer })
        )
        const fromSnapshot = yield* SqlSnapshots.ledger("scorecards")
        const full = yield* ledger
        expect(fromSnapshot.count).toBe(full.count)
        const saved = yield* SqlSnapshots.latest("scorecards")
        expect(saved !== undefined && saved.lastPosition > 0 && saved.lastPosition < full.lastPosition).toBe(true)
        for (const code of ["1.1", "1.2"]) {
          for (const asOf of ["2023-07-01", "2024-02-01", "2025-02-01"]) {
            const at = (l: Ledger.Ledger) =>
              Ledger.evidenceAt(l.evidence.get(unit)?.items.get(catalog.id)?.get(code), d(asOf)).entry?.entry
            expect([code, asOf, at(fromSnapshot)]).toEqual([code, asOf, at(full)])
          }
        }
      }).pipe(Effect.provide(layer()))
    )

    it.effect("a batch that fails writes neither state nor checkpoint", () =>
      Effect.gen(function* () {
        yield* history
        const failing: SqlProjection.Projection = {
          ...EvidenceReadModel.projection,
          name: "failing",
          apply: (e) =>
            e.event._tag === "EvidenceRetracted"
              ? Effect.flatMap(SqlClient.SqlClient, (sql) => sql`SELECT * FROM no_such_table`).pipe(Effect.asVoid)
              : EvidenceReadModel.projection.apply(e)
        }
        const r = yield* Effect.either(SqlProjection.catchUp(failing, { batchSize: 1000 }))
        expect(Either.isLeft(r)).toBe(true)
        expect(yield* SqlProjection.checkpoint("failing")).toBe(0)
        expect(yield* dump).toEqual([])
      }).pipe(Effect.provide(layer()))
    )

    it.effect("an event that does not decode stops the projection, named by stream and position", () =>
      Effect.gen(function* () {
        yield* history
        const store = yield* EventStore.EventStore
        const sql = yield* SqlClient.SqlClient
        const bad = yield* store.append("Broken-1", 0, [{ type: "EvidenceRecorded", version: 1, data: { entry: 42 } }])
        yield* record("c1", "1.1", yes, "2025-01-01")
        const e = yield* Effect.flip(SqlProjection.catchUp(EvidenceReadModel.projection, { batchSize: 1000 }))
        expect(e).toMatchObject({ _tag: "EventDecodeError", stream: "Broken-1", position: bad.position })
        // Everything before it was applied, and the checkpoint stops just before it.
        expect(yield* SqlProjection.checkpoint("evidence")).toBe(bad.position - 1)
        const rows = yield* sql<{ entry: string }>`SELECT entry FROM ntm_rm_evidence WHERE entry = 'c1'`
        expect(rows).toEqual([])
      }).pipe(Effect.provide(layer()))
    )
  })
}
