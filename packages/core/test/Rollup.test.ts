/**
 * Roll-ups up the hierarchy (`Rollup.make`): examples over a province of two districts as of several dates, across a
 * merge and a dissolution, and properties over generated worlds with recognition dossiers.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as fc from "fast-check"
import { catalogId } from "../src/Catalog.js"
import * as Commands from "../src/Commands.js"
import type * as Dossier from "../src/Dossier.js"
import * as Hierarchy from "../src/Hierarchy.js"
import * as Ledger from "../src/Ledger.js"
import type * as LocalDate from "../src/LocalDate.js"
import { Decision, GrantRecognition, RevokeRecognition } from "../src/Recognition.js"
import * as Rollup from "../src/Rollup.js"
import { type StandardId, standardId } from "../src/Standard.js"
import type { UnitId, UnitKind } from "../src/Unit.js"
import * as A from "./arbitraries.js"
import {
  admin,
  communeCatalog,
  communeOfficer,
  date,
  districtCatalog,
  districtOfficer,
  memoryStore,
  provinceOfficer,
  unit
} from "./fixtures.js"

// ---------------------------------------------------------------------------------------------------------------
// The example: province p; district d1 (communes a, b, c), district d2 (communes e, f and town t). On 2025-07-01
// a and b merge into a new commune ab, and d2 is dissolved, its units moving under the province.
// ---------------------------------------------------------------------------------------------------------------

const ntm = standardId("ntm")
const advanced = standardId("advanced")
const p = unit("p")

const grant = (u: string, standard: StandardId, effective: string) =>
  Commands.recognise(
    new GrantRecognition({
      recognition: `r:${u}:${standard}`,
      unit: unit(u),
      standard,
      catalog: { id: catalogId("test/commune"), version: "1" },
      decision: new Decision({ number: `${u}/QĐ-UBND`, date: date(effective) }),
      effective: date(effective),
      by: provinceOfficer("p")
    })
  )

/** A dossier of a unit of district d1: its reviewer is d1's officer, its approver the province's. */
const dossier = (id: string, u: string, kind: "commune" | "district") =>
  A.exampleDossier({
    dossier: id,
    unit: u,
    catalog: kind === "commune" ? communeCatalog() : districtCatalog(),
    by: kind === "commune" ? communeOfficer(u) : districtOfficer(u),
    reviewer: districtOfficer("p/d1"),
    approver: provinceOfficer("p")
  })

const history = Effect.gen(function* () {
  yield* Commands.publishCatalog(communeCatalog(), admin)
  yield* Commands.publishCatalog(districtCatalog(), admin)
  yield* A.establish("p", "province", undefined, { region: "A" })
  yield* A.establish("p/d1", "district", "p")
  yield* A.establish("p/d2", "district", "p")
  for (const c of ["a", "b", "c"]) yield* A.establish(`p/d1/${c}`, "commune", "p/d1")
  for (const c of ["e", "f"]) yield* A.establish(`p/d2/${c}`, "commune", "p/d2")
  yield* A.establish("p/d2/t", "town", "p/d2")

  yield* grant("p/d1/a", ntm, "2021-06-01")
  yield* grant("p/d2/e", ntm, "2021-06-01")
  yield* grant("p/d2/t", ntm, "2022-01-01")
  // b is recognised through its dossier, which grants the recognition in the same transaction.
  const b = dossier("hs-b", "p/d1/b", "commune")
  yield* b.open("2022-01-10")
  yield* b.selfAssess("2022-02-01")
  yield* b.consult("2022-03-01")
  yield* b.verify("2022-04-01")
  yield* b.appraise("2022-05-01")
  yield* b.recognise("2022-06-01")
  yield* b.announce("2022-07-01")
  yield* grant("p/d1/b", advanced, "2023-06-01")
  // d1's own dossier: counted for the province, not for d1 (a roll-up counts the units strictly under it).
  const d1 = dossier("hs-d1", "p/d1", "district")
  yield* d1.open("2022-09-01")
  yield* d1.selfAssess("2022-10-01")
  yield* grant("p/d1", ntm, "2023-01-01")
  // c's dossier is returned, then submitted again.
  const c = dossier("hs-c", "p/d1/c", "commune")
  yield* c.open("2023-01-10")
  yield* c.selfAssess("2023-02-01")
  yield* c.giveBack("2023-03-01")
  yield* c.selfAssess("2023-04-01")
  yield* Commands.recognise(
    new RevokeRecognition({
      unit: unit("p/d2/e"),
      standard: ntm,
      decision: new Decision({ number: "thu-hoi-e/QĐ-UBND", date: date("2024-01-01") }),
      reason: "Không duy trì / not maintained",
      effective: date("2024-01-01"),
      by: provinceOfficer("p")
    })
  )
  yield* dossier("hs-f", "p/d2/f", "commune").open("2024-02-01")
  // 2025-07-01: a and b merge into ab; d2 is dissolved and its units move under the province.
  yield* A.establish("p/d1/ab", "commune", "p/d1", { effective: "2025-07-01" })
  yield* Commands.changeHierarchy(
    new Hierarchy.MergeUnits({
      into: unit("p/d1/ab"),
      merged: [unit("p/d1/a"), unit("p/d1/b")],
      effective: date("2025-07-01"),
      by: admin
    })
  )
  yield* Commands.changeHierarchy(
    new Hierarchy.DissolveUnit({ unit: unit("p/d2"), moveChildrenTo: p, effective: date("2025-07-01"), by: admin })
  )
  return yield* A.recordedLedger
})

const none = { ntm: 0, advanced: 0, model: 0 }

describe("Rollup.make: examples", () => {
  it.effect("counts units by kind and the standards they hold, for the province and each district", () =>
    Effect.gen(function* () {
      const ledger = yield* history
      const r = Rollup.make(ledger, p, date("2021-12-31"))!
      expect(r.unit).toMatchObject({ id: "p", kind: "province", parent: undefined })
      expect(r.asOf).toBe("2021-12-31")
      expect(r.kinds).toEqual({
        district: { total: 2, holding: none },
        commune: { total: 5, holding: { ...none, ntm: 2 } },
        town: { total: 1, holding: none }
      })
      expect(r.dossiers).toEqual({})
      expect(r.children.map((c) => c.unit.id)).toEqual(["p/d1", "p/d2"])
      const [d1, d2] = r.children as [Rollup.Rollup, Rollup.Rollup]
      expect(d1.kinds).toEqual({ commune: { total: 3, holding: { ...none, ntm: 1 } } })
      expect(d2.kinds).toEqual({
        commune: { total: 2, holding: { ...none, ntm: 1 } },
        town: { total: 1, holding: none }
      })
      // One level down by default: the districts' roll-ups do not list their communes.
      expect(d1.children).toEqual([])

      const mid = Rollup.make(ledger, p, date("2023-06-30"))!
      expect(mid.kinds).toEqual({
        district: { total: 2, holding: { ...none, ntm: 1 } },
        commune: { total: 5, holding: { ...none, ntm: 3, advanced: 1 } },
        town: { total: 1, holding: { ...none, ntm: 1 } }
      })
      // e's recognition is revoked on 2024-01-01.
      expect(Rollup.make(ledger, p, date("2024-06-30"))!.kinds.commune).toEqual({
        total: 5,
        holding: { ...none, ntm: 2, advanced: 1 }
      })
    }).pipe(Effect.provide(memoryStore))
  )

  it.effect("counts dossiers by their stage on the date, for units strictly under the unit", () =>
    Effect.gen(function* () {
      const ledger = yield* history
      const stages = (u: string, d: string) => {
        const r = Rollup.make(ledger, unit(u), date(d))!
        return { dossiers: r.dossiers, children: r.children.map((c) => c.dossiers) }
      }
      expect(stages("p", "2022-01-09")).toEqual({ dossiers: {}, children: [{}, {}] })
      expect(stages("p", "2022-01-10")).toEqual({ dossiers: { Opened: 1 }, children: [{ Opened: 1 }, {}] })
      expect(stages("p", "2022-06-01")).toEqual({ dossiers: { Recognised: 1 }, children: [{ Recognised: 1 }, {}] })
      // b's dossier announced; d1's own dossier counts for the province only.
      expect(stages("p", "2022-10-01")).toEqual({
        dossiers: { Announced: 1, SelfAssessed: 1 },
        children: [{ Announced: 1 }, {}]
      })
      // c's dossier, returned on 2023-03-01, is back at the opened stage until it is submitted again.
      expect(stages("p", "2023-03-15").dossiers).toEqual({ Announced: 1, SelfAssessed: 1, Opened: 1 })
      expect(stages("p", "2023-04-01").dossiers).toEqual({ Announced: 1, SelfAssessed: 2 })
      expect(stages("p", "2024-02-01")).toEqual({
        dossiers: { Announced: 1, SelfAssessed: 2, Opened: 1 },
        children: [{ Announced: 1, SelfAssessed: 1 }, { Opened: 1 }]
      })
      expect(stages("p/d1", "2024-02-01").dossiers).toEqual({ Announced: 1, SelfAssessed: 1 })
    }).pipe(Effect.provide(memoryStore))
  )

  it.effect("across a merge and a dissolution: the merged commune carries the recognitions all its parts held", () =>
    Effect.gen(function* () {
      const ledger = yield* history
      const before = Rollup.make(ledger, p, date("2025-06-30"))!
      expect(before.children.map((c) => c.unit.id)).toEqual(["p/d1", "p/d2"])
      const r = Rollup.make(ledger, p, date("2025-07-01"))!
      // d2 is gone; e, f and t sit directly under the province: counted for it, under no district.
      expect(r.children.map((c) => c.unit.id)).toEqual(["p/d1"])
      expect(r.kinds).toEqual({
        district: { total: 1, holding: { ...none, ntm: 1 } },
        // c, ab, e, f: ab holds NTM (a and b both did), not advanced (only b did); e was revoked.
        commune: { total: 4, holding: { ...none, ntm: 1 } },
        town: { total: 1, holding: { ...none, ntm: 1 } }
      })
      const [d1] = r.children as [Rollup.Rollup]
      expect(d1.kinds).toEqual({ commune: { total: 2, holding: { ...none, ntm: 1 } } })
      // b's dossier belongs to a commune that has ceased; f's now counts directly under the province.
      expect(r.dossiers).toEqual({ SelfAssessed: 2, Opened: 1 })
      expect(d1.dossiers).toEqual({ SelfAssessed: 1 })
      expect(Rollup.make(ledger, unit("p/d1/ab"), date("2025-07-01"))).toMatchObject({
        unit: { id: "p/d1/ab", kind: "commune", parent: "p/d1" },
        kinds: {},
        dossiers: {},
        children: []
      })
    }).pipe(Effect.provide(memoryStore))
  )

  it.effect("options: the standards counted and the depth; undefined for a unit not in force or unknown", () =>
    Effect.gen(function* () {
      const ledger = yield* history
      const r = Rollup.make(ledger, p, date("2023-06-30"), { standards: [ntm], depth: 0 })!
      expect(r.kinds.commune).toEqual({ total: 5, holding: { ntm: 3 } })
      expect(r.children).toEqual([])
      // Two levels: districts have no district children, so their own children lists stay empty.
      const deep = Rollup.make(ledger, p, date("2023-06-30"), { depth: 2 })!
      expect(deep.children.map((c) => [c.unit.id, c.children])).toEqual([
        ["p/d1", []],
        ["p/d2", []]
      ])
      expect(Rollup.make(ledger, unit("p/d1/ab"), date("2025-06-30"))).toBeUndefined()
      expect(Rollup.make(ledger, unit("p/d2"), date("2025-07-01"))).toBeUndefined()
      expect(Rollup.make(ledger, unit("nowhere"), date("2025-07-01"))).toBeUndefined()
    }).pipe(Effect.provide(memoryStore))
  )
})

// ---------------------------------------------------------------------------------------------------------------
// Properties over generated worlds with dossiers
// ---------------------------------------------------------------------------------------------------------------

const standards = [...A.standards, standardId("model")]

/** The stage each dossier event leads to, read from the event types (an oracle apart from `Dossier`). */
const stageAfter: Record<Dossier.Event["_tag"], Dossier.Stage> = {
  DossierOpened: "Opened",
  SelfAssessmentSubmitted: "SelfAssessed",
  ConsultationRecorded: "Consulted",
  DossierVerified: "Verified",
  DossierAppraised: "Appraised",
  DossierRecognised: "Recognised",
  RecognitionAnnounced: "Announced",
  DossierReturned: "Opened",
  DossierRevoked: "Revoked"
}

/** Each dossier's unit and its stage on a date: its last event (in record order) effective by then. */
const dossierStages = (world: A.World, on: LocalDate.LocalDate) => {
  const out = new Map<string, { unit: UnitId; stage: Dossier.Stage }>()
  for (const { event: e } of world.history) {
    if (!(e._tag in stageAfter) || !("dossier" in e) || e.effective > on) continue
    const unitOf = e._tag === "DossierOpened" ? e.unit : out.get(e.dossier)?.unit
    if (unitOf !== undefined) out.set(e.dossier, { unit: unitOf, stage: stageAfter[e._tag as Dossier.Event["_tag"]] })
  }
  return [...out.values()]
}

type Counts = Map<string, number>
const add = (m: Counts, key: string, n = 1) => m.set(key, (m.get(key) ?? 0) + n)

/** A roll-up's counts as flat keys: `kind`, `kind standard`, `dossier stage`. */
const flat = (r: Rollup.Rollup): Counts => {
  const m: Counts = new Map()
  for (const [kind, k] of Object.entries(r.kinds)) {
    add(m, kind, k!.total)
    for (const [s, n] of Object.entries(k!.holding)) if (n > 0) add(m, `${kind} ${s}`, n)
  }
  for (const [stage, n] of Object.entries(r.dossiers)) add(m, `dossier ${stage}`, n!)
  return m
}

/** The same counts for a list of units, counted directly. */
const countUnits = (
  ledger: Ledger.Ledger,
  units: ReadonlyArray<{ readonly id: UnitId; readonly kind: UnitKind }>,
  stages: ReadonlyArray<{ readonly unit: UnitId; readonly stage: Dossier.Stage }>,
  on: LocalDate.LocalDate
): Counts => {
  const m: Counts = new Map()
  for (const u of units) {
    add(m, u.kind)
    for (const s of standards) if (Ledger.holds(ledger, u.id, s, on)) add(m, `${u.kind} ${s}`)
    for (const d of stages) if (d.unit === u.id) add(m, `dossier ${d.stage}`)
  }
  return m
}

const sum = (...ms: ReadonlyArray<Counts>): Counts => {
  const out: Counts = new Map()
  for (const m of ms) for (const [k, n] of m) add(out, k, n)
  return out
}

const sorted = (m: Counts) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1))

/** The units under a unit on a date, walked through the plan's reference hierarchy. */
const referenceDescendants = (world: A.World, id: UnitId, on: LocalDate.LocalDate): ReadonlyArray<A.UnitInfo> =>
  world.reference.childrenAt(id, on).flatMap((c) => [c, ...referenceDescendants(world, c.id, on)])

const worldsWithDossiers = fc
  .record({
    world: A.world({ maxOps: 30 }),
    dossiers: fc.array(A.dossierPlan, { minLength: 1, maxLength: 8 }),
    picks: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
    extra: A.date
  })
  .map(({ world, dossiers, picks, extra }) => {
    const w = A.withDossiers(world, dossiers)
    return { world: w, dates: [...new Set([...picks.map((i) => w.dates[i % w.dates.length]!), extra])] }
  })

describe("Rollup.make: properties", () => {
  it("roll-up counts equal the sum over the children, plus the units directly under the province", () => {
    fc.assert(
      fc.property(worldsWithDossiers, ({ world, dates }) => {
        const ledger = Ledger.fold(world.history)
        for (const on of dates) {
          const r = Rollup.make(ledger, A.province, on, { standards })!
          const direct = Hierarchy.childrenAt(Ledger.hierarchy(ledger), A.province, on)
          expect(r.children.map((c) => c.unit.id)).toEqual(direct.filter((c) => c.kind === "district").map((c) => c.id))
          // The districts themselves and the units directly under the province count for it, under no district
          // (generated communes and towns have no units under them).
          const expected = sum(...r.children.map(flat), countUnits(ledger, direct, dossierStages(world, on), on))
          expect(sorted(flat(r))).toEqual(sorted(expected))
        }
      }),
      { numRuns: 60 }
    )
  })

  it("roll-up counts agree with a direct count over the descendants, the recognitions held and the dossiers' events", () => {
    fc.assert(
      fc.property(worldsWithDossiers, ({ world, dates }) => {
        const ledger = Ledger.fold(world.history)
        for (const on of dates) {
          const stages = dossierStages(world, on)
          const r = Rollup.make(ledger, A.province, on, { standards })!
          for (const node of [r, ...r.children]) {
            const under = Hierarchy.descendantsAt(Ledger.hierarchy(ledger), node.unit.id, on)
            expect(sorted(flat(node))).toEqual(sorted(countUnits(ledger, under, stages, on)))
            // The units under it by kind, also as the plan's own reference hierarchy has them.
            const kinds = Object.fromEntries(Object.entries(node.kinds).map(([k, v]) => [k, v!.total]))
            const reference: Record<string, number> = {}
            for (const u of referenceDescendants(world, node.unit.id, on))
              reference[u.kind] = (reference[u.kind] ?? 0) + 1
            expect(kinds).toEqual(reference)
            // A kind is listed only when some unit of it is there; every standard asked is counted.
            for (const k of Object.values(node.kinds)) {
              expect(k!.total).toBeGreaterThan(0)
              expect(Object.keys(k!.holding).sort()).toEqual([...standards].sort())
            }
          }
        }
      }),
      { numRuns: 60 }
    )
  })
})
