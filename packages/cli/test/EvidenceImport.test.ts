/**
 * A row whose cells the core's schemas refuse (a control character in a note or a title, an entry id out of
 * grammar) is listed as a problem of its row, and the import goes on judging the others; it used to throw.
 */
import { describe, expect, it } from "@effect/vitest"
import { Actor, Bilingual, Catalog, Commands, EventStore, Events, Hierarchy, Ledger, LocalDate, Unit } from "@ntm/core"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Stream from "effect/Stream"
import * as EvidenceImport from "../src/EvidenceImport.js"

const admin = new Actor.Actor({ id: "admin", name: "Quản trị", role: "admin" })
const verified = { status: "verified" as const, sources: ["test"] }
const catalog = Either.getOrThrow(
  Catalog.decode({
    id: "test/commune",
    version: "1",
    name: { vi: "Bộ tiêu chí thử", en: "Test criteria set" },
    appliesTo: ["commune"],
    standard: "ntm",
    legalBasis: [],
    effective: { from: "2022-01-01" },
    provenance: verified,
    sources: [{ id: "test", title: "Test source", kind: "official" }],
    criteria: [
      {
        code: "1",
        name: { vi: "Giao thông", en: "Transport" },
        provenance: verified,
        indicators: [
          {
            code: "1.1",
            name: { vi: "Đường xã", en: "Roads" },
            requirement: { _tag: "Attainment" },
            provenance: verified
          }
        ]
      }
    ]
  })
)

const ledger = Effect.gen(function* () {
  yield* Commands.publishCatalog(catalog, admin)
  for (const [unit, kind, parent] of [
    ["p", "province", undefined],
    ["p/d", "district", "p"],
    ["p/d/c", "commune", "p/d"]
  ] as const) {
    yield* Commands.changeHierarchy(
      new Hierarchy.EstablishUnit({
        unit: Unit.unitId(unit),
        kind,
        name: Bilingual.make(unit, unit),
        ...(parent === undefined ? {} : { parent: Unit.unitId(parent) }),
        classes: {},
        effective: LocalDate.unsafeMake("2020-01-01"),
        by: admin
      })
    )
  }
  const store = yield* EventStore.EventStore
  const recorded = Chunk.toReadonlyArray(yield* Stream.runCollect(store.readAll()))
  return Ledger.fold(recorded.map((r) => Either.getOrThrow(Events.decode(r))))
}).pipe(Effect.provide(EventStore.layerMemory))

const row = (n: number, cells: Record<string, string>) => ({
  row: n,
  cells: { unit: "p/d/c", catalog: "test/commune", code: "1.1", value: "đạt", effective: "2024-01-01", ...cells }
})

describe("EvidenceImport.commands", () => {
  it.effect("lists a row the core's schemas refuse as a problem of that row, and judges the others", () =>
    Effect.gen(function* () {
      const table = {
        header: ["unit", "catalog", "code", "value", "effective", "entry", "source_title", "note"],
        headerRow: 1,
        rows: [
          row(2, { entry: "ok-1" }),
          row(3, { entry: "bell-1", note: "chuông \u0007" }),
          row(4, { entry: "nul-1", source_title: "Báo cáo\u0000" }),
          row(5, { entry: "a\u0000b" })
        ]
      }
      const out = EvidenceImport.commands(table, yield* ledger, admin)
      expect(out.commands.map((c) => c.row)).toEqual([2])
      expect(out.issues.map((i) => [i.row, i.column])).toEqual([
        [3, "row"],
        [4, "row"],
        [5, "row"]
      ])
    })
  )
})
