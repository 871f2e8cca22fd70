/**
 * Who may do what, checked by the commands themselves: the role × action matrix, the unit scope on the date recorded
 * and on the date effective (a unit that moved, a commune merged away), and the unit of a commitment or a dossier
 * taken from its own stream.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Stream from "effect/Stream"
import * as Access from "../src/Access.js"
import { Actor } from "../src/Actor.js"
import * as Bilingual from "../src/Bilingual.js"
import * as Commands from "../src/Commands.js"
import * as Commitment from "../src/Commitment.js"
import * as EventStore from "../src/EventStore.js"
import * as Evidence from "../src/Evidence.js"
import * as EvidenceValue from "../src/EvidenceValue.js"
import * as Hierarchy from "../src/Hierarchy.js"
import { establish, exampleDossier, makeCommitment } from "./arbitraries.js"
import {
  admin,
  communeCatalog,
  communeOfficer,
  date,
  districtOfficer,
  importer,
  memoryStore,
  provinceOfficer,
  unit
} from "./fixtures.js"

const central = new Actor({ id: "central", name: "Hội đồng Trung ương / Central council", role: "central" })
const auditor = new Actor({ id: "auditor", name: "Kiểm toán / Auditor", role: "auditor" })

/** p → d1 → {x1 → v, x2}, p → d2 → x3; q → e → y. */
const hierarchy = Effect.gen(function* () {
  yield* establish("p", "province")
  yield* establish("p/d1", "district", "p")
  yield* establish("p/d1/x1", "commune", "p/d1")
  yield* establish("p/d1/x1/v", "village", "p/d1/x1")
  yield* establish("p/d1/x2", "commune", "p/d1")
  yield* establish("p/d2", "district", "p")
  yield* establish("p/d2/x3", "commune", "p/d2")
  yield* establish("q", "province")
  yield* establish("q/e", "district", "q")
  yield* establish("q/e/y", "commune", "q/e")
  yield* Commands.publishCatalog(communeCatalog(), admin)
  return yield* Commands.loadHierarchy
})

const count = Effect.flatMap(EventStore.EventStore, (s) => Effect.map(Stream.runCollect(s.readAll()), Chunk.size))

let n = 0
const record = (u: string, by: Actor, effective = "2025-01-01") =>
  Commands.evidence(
    new Evidence.RecordEvidence({
      entry: `acc-${++n}`,
      unit: unit(u),
      catalog: communeCatalog().id,
      code: "1.1",
      value: new EvidenceValue.Attained({ attained: true }),
      effective: date(effective),
      sources: [],
      by
    })
  )

/** The tag of a command's refusal, or "ok" when it went through. */
const outcome = <A, E extends { readonly _tag: string }, R>(run: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.either(run), (e) => (Either.isRight(e) ? "ok" : e.left._tag))

describe("Access.check", () => {
  it.effect("a commune officer: own unit only; a district: its communes; a province: its subtree", () =>
    Effect.gen(function* () {
      const h = yield* hierarchy
      const on = (u: string) => ({ hierarchy: h, unit: unit(u), dates: [date("2025-01-01")] })
      const decide = (by: Actor, u: string) =>
        Either.match(Access.check(Access.defaultMatrix, by, "evidence.record", on(u)), {
          onLeft: (r) => r._tag,
          onRight: () => "ok"
        })
      const x1 = communeOfficer("p/d1/x1")
      const d1 = districtOfficer("p/d1")
      const p = provinceOfficer("p")
      // own, child, sibling, parent, other province, unknown unit
      const cases = ["p/d1/x1", "p/d1/x1/v", "p/d1/x2", "p/d1", "q/e/y", "p/d1/nowhere"]
      expect(cases.map((u) => decide(x1, u))).toEqual(["ok", "ok", ...Array(4).fill("OutOfScope")])
      expect(["p/d1", "p/d1/x1", "p/d2", "p", "q/e/y", "p/d1/nowhere"].map((u) => decide(d1, u))).toEqual([
        "ok",
        "ok",
        "OutOfScope",
        "OutOfScope",
        "OutOfScope",
        "OutOfScope"
      ])
      expect(["p", "p/d2/x3", "q", "q/e/y"].map((u) => decide(p, u))).toEqual(["ok", "ok", "OutOfScope", "OutOfScope"])
      // a role outside the matrix row, whatever the unit; an officer's role without a unit
      expect(decide(central, "p/d1/x1")).toBe("RoleNotPermitted")
      expect(decide(auditor, "p/d1/x1")).toBe("RoleNotPermitted")
      expect(decide(new Actor({ id: "x", name: "x", role: "commune" }), "p/d1/x1")).toBe("UnitRequired")
      // the operator's import acts for the whole country
      expect(decide(importer, "q/e/y")).toBe("ok")
    }).pipe(Effect.provide(memoryStore))
  )

  it("the default matrix: system publishes catalogs and records evidence, and writes nothing else", () => {
    const system = (Object.keys(Access.defaultMatrix) as Array<Access.Action>).filter((a) =>
      Access.defaultMatrix[a].includes("system")
    )
    expect(system).toEqual(["catalog.publish", "evidence.record"])
  })
})

describe("Commands check access on the state they decide on", () => {
  it.effect("every write refuses a role the matrix does not name, and appends nothing", () =>
    Effect.gen(function* () {
      yield* hierarchy
      const before = yield* count
      expect(yield* outcome(record("p/d1/x1", auditor))).toBe("RoleNotPermitted")
      expect(yield* outcome(record("p/d1/x1", central))).toBe("RoleNotPermitted")
      expect(yield* outcome(Commands.publishCatalog(communeCatalog(), central))).toBe("RoleNotPermitted")
      expect(
        yield* outcome(
          Commands.changeHierarchy(
            new Hierarchy.RenameUnit({
              unit: unit("p"),
              name: Bilingual.make("Tỉnh P", "P province"),
              effective: date("2025-01-01"),
              by: provinceOfficer("p")
            })
          )
        )
      ).toBe("RoleNotPermitted")
      expect(yield* count).toBe(before)
    }).pipe(Effect.provide(memoryStore))
  )

  it.effect("a commitment's unit comes from its stream: another commune cannot withdraw it", () =>
    Effect.gen(function* () {
      yield* hierarchy
      yield* makeCommitment({
        commitment: "acc-c1",
        unit: "p/d1/x1",
        agency: "Sở",
        due: "2026-06-30",
        made: "2025-01-10"
      })
      const before = yield* count
      const withdraw = (by: Actor) =>
        Commands.commitment(
          new Commitment.WithdrawCommitment({
            commitment: "acc-c1",
            reason: "thử / test",
            effective: date("2025-02-01"),
            by
          })
        )
      expect(yield* outcome(withdraw(communeOfficer("p/d1/x2")))).toBe("OutOfScope")
      expect(yield* outcome(withdraw(communeOfficer("q/e/y")))).toBe("OutOfScope")
      expect(yield* count).toBe(before)
      expect(yield* outcome(withdraw(communeOfficer("p/d1/x1")))).toBe("ok")
    }).pipe(Effect.provide(memoryStore))
  )

  it.effect("a dossier's unit comes from its stream: another commune cannot take its next step", () =>
    Effect.gen(function* () {
      yield* hierarchy
      const steps = (by: Actor) =>
        exampleDossier({
          dossier: "acc-d1",
          unit: "p/d1/x1",
          catalog: communeCatalog(),
          by,
          reviewer: districtOfficer("p/d1"),
          approver: provinceOfficer("p")
        })
      expect(yield* outcome(steps(communeOfficer("p/d1/x1")).open("2025-03-01"))).toBe("ok")
      const before = yield* count
      expect(yield* outcome(steps(communeOfficer("p/d1/x2")).selfAssess("2025-03-02"))).toBe("OutOfScope")
      expect(yield* outcome(steps(districtOfficer("p/d2")).selfAssess("2025-03-02"))).toBe("OutOfScope")
      expect(yield* count).toBe(before)
      expect(yield* outcome(steps(communeOfficer("p/d1/x1")).selfAssess("2025-03-02"))).toBe("ok")
    }).pipe(Effect.provide(memoryStore))
  )

  it.effect("a correction is judged on the date of the entry it corrects, not only today", () =>
    Effect.gen(function* () {
      yield* hierarchy
      yield* record("p/d1/x2", districtOfficer("p/d1"), "2025-03-01")
      const entry = `acc-${n}`
      yield* Commands.changeHierarchy(
        new Hierarchy.MoveUnit({
          unit: unit("p/d1/x2"),
          parent: unit("p/d2"),
          effective: date("2025-07-01"),
          by: admin
        })
      )
      const correct = (by: Actor) =>
        Commands.evidence(
          new Evidence.CorrectEvidence({
            entry: `${entry}-c-${by.id}`,
            unit: unit("p/d1/x2"),
            corrects: entry,
            value: new EvidenceValue.Attained({ attained: false }),
            sources: [],
            reason: "sai / wrong",
            by
          })
        )
      // d2 holds the commune today, but did not on the entry's date; d1 did then, but not today
      expect(yield* outcome(correct(districtOfficer("p/d2")))).toBe("OutOfScope")
      expect(yield* outcome(correct(districtOfficer("p/d1")))).toBe("OutOfScope")
      expect(yield* outcome(correct(provinceOfficer("p")))).toBe("ok")
    }).pipe(Effect.provide(memoryStore))
  )

  it.effect("evidence backdated to before a unit moved: not from the district it has left, nor the one it joined", () =>
    Effect.gen(function* () {
      yield* hierarchy
      yield* Commands.changeHierarchy(
        new Hierarchy.MoveUnit({
          unit: unit("p/d1/x2"),
          parent: unit("p/d2"),
          effective: date("2025-07-01"),
          by: admin
        })
      )
      const before = yield* count
      // effective before the move, recorded after it (the test clock's today is 2026-01-05)
      expect(yield* outcome(record("p/d1/x2", districtOfficer("p/d1"), "2025-03-01"))).toBe("OutOfScope")
      expect(yield* outcome(record("p/d1/x2", districtOfficer("p/d2"), "2025-03-01"))).toBe("OutOfScope")
      // after the move, the new district; over both dates, the province
      expect(yield* count).toBe(before)
      expect(yield* outcome(record("p/d1/x2", districtOfficer("p/d2"), "2025-09-01"))).toBe("ok")
      expect(yield* outcome(record("p/d1/x2", provinceOfficer("p"), "2025-03-01"))).toBe("ok")
    }).pipe(Effect.provide(memoryStore))
  )

  it.effect("a commune merged away: its own officer's token no longer writes for it", () =>
    Effect.gen(function* () {
      yield* hierarchy
      yield* record("p/d1/x2", communeOfficer("p/d1/x2"), "2025-01-01")
      yield* Commands.changeHierarchy(
        new Hierarchy.MergeUnits({
          into: unit("p/d1/x1"),
          merged: [unit("p/d1/x2")],
          effective: date("2025-07-01"),
          by: admin
        })
      )
      const before = yield* count
      expect(yield* outcome(record("p/d1/x2", communeOfficer("p/d1/x2"), "2025-03-01"))).toBe("OutOfScope")
      expect(yield* count).toBe(before)
      // the district it was and is under still may (the commune stands for it now)
      expect(yield* outcome(record("p/d1/x2", districtOfficer("p/d1"), "2025-03-01"))).toBe("ok")
    }).pipe(Effect.provide(memoryStore))
  )

  it.effect("the recording date is the Clock's unless given: a write recorded before the move is judged then", () =>
    Effect.gen(function* () {
      yield* hierarchy
      yield* Commands.changeHierarchy(
        new Hierarchy.MoveUnit({
          unit: unit("p/d1/x2"),
          parent: unit("p/d2"),
          effective: date("2025-07-01"),
          by: admin
        })
      )
      const write = (today: string) =>
        Commands.evidence(
          new Evidence.RecordEvidence({
            entry: `acc-${++n}`,
            unit: unit("p/d1/x2"),
            catalog: communeCatalog().id,
            code: "1.1",
            value: new EvidenceValue.Attained({ attained: false }),
            effective: date("2025-03-01"),
            sources: [],
            by: districtOfficer("p/d1")
          }),
          { today: date(today) }
        )
      expect(yield* outcome(write("2025-05-01"))).toBe("ok")
      expect(yield* outcome(write("2025-08-01"))).toBe("OutOfScope")
    }).pipe(Effect.provide(memoryStore))
  )
})
