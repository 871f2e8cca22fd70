import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import type { Actor } from "../src/Actor.js"
import { catalogId } from "../src/Catalog.js"
import * as Hierarchy from "../src/Hierarchy.js"
import type { LocalDate } from "../src/LocalDate.js"
import * as Recognition from "../src/Recognition.js"
import { type StandardId, standardId } from "../src/Standard.js"
import type { UnitId } from "../src/Unit.js"
import { checkSequence, DeciderSpec, stepsArb } from "./DeciderSpec.js"
import { admin, date, established, provinceOfficer, unit } from "./fixtures.js"

// ---------------------------------------------------------------------------------------------------------------
// The hierarchy: communes that merge on 2025-07-01, into a new commune and into an existing one.
// ---------------------------------------------------------------------------------------------------------------

const province = unit("bac-giang")
const district = unit("bac-giang/tan-yen")
const caoXa = unit("bac-giang/tan-yen/cao-xa")
const lienSon = unit("bac-giang/tan-yen/lien-son")
/** Formed on 2025-07-01 by merging Cao Xá and Liên Sơn. */
const caoSon = unit("bac-giang/tan-yen/cao-son")
const ngocThien = unit("bac-giang/tan-yen/ngoc-thien")
/** Merged into Ngọc Thiện (which continues) on 2025-07-01. */
const ngocChau = unit("bac-giang/tan-yen/ngoc-chau")
const phucSon = unit("bac-giang/tan-yen/phuc-son")
const ghost = unit("nowhere")
const merger = date("2025-07-01")
const dayBefore = date("2025-06-30")

const ntm = standardId("ntm")
const advanced = standardId("advanced")
const by = provinceOfficer(province)

const hierarchy = [
  established(province, "province", "Bắc Giang", "Bac Giang"),
  established(district, "district", "Tân Yên", "Tan Yen", province),
  established(caoXa, "commune", "Cao Xá", "Cao Xa", district),
  established(lienSon, "commune", "Liên Sơn", "Lien Son", district),
  established(caoSon, "commune", "Cao Sơn", "Cao Son", district, "2025-07-01"),
  established(ngocThien, "commune", "Ngọc Thiện", "Ngoc Thien", district),
  established(ngocChau, "commune", "Ngọc Châu", "Ngoc Chau", district),
  established(phucSon, "commune", "Phúc Sơn", "Phuc Son", district),
  new Hierarchy.UnitsMerged({ into: caoSon, merged: [caoXa, lienSon], effective: merger, by: admin }),
  new Hierarchy.UnitsMerged({ into: ngocThien, merged: [ngocChau], effective: merger, by: admin }),
  new Hierarchy.UnitDissolved({ unit: phucSon, effective: date("2024-01-01"), by: admin })
].reduce(Hierarchy.evolve, Hierarchy.initial)

// ---------------------------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------------------------

const decision = (number: string, d: string) =>
  new Recognition.Decision({ number, date: date(d), issuer: "UBND tỉnh Bắc Giang", signer: "Chủ tịch / Chairman" })

const grant = (
  recognition: string,
  u: UnitId,
  effective: string,
  options: { readonly standard?: StandardId; readonly number?: string; readonly by?: Actor } = {}
) =>
  new Recognition.GrantRecognition({
    recognition,
    unit: u,
    standard: options.standard ?? ntm,
    catalog: { id: catalogId("vn/2021-2025/commune"), version: "1" },
    decision: decision(options.number ?? `${recognition}/QĐ-UBND`, effective),
    effective: date(effective),
    by: options.by ?? by
  })

const granted = (command: Recognition.GrantRecognition) => {
  const { _tag, ...fields } = command
  return new Recognition.RecognitionGranted(fields)
}

const revoke = (
  u: UnitId,
  effective: string,
  options: { readonly standard?: StandardId; readonly number?: string } = {}
) =>
  new Recognition.RevokeRecognition({
    unit: u,
    standard: options.standard ?? ntm,
    decision: decision(options.number ?? "99/QĐ-UBND", effective),
    reason: "Không duy trì tiêu chí / criteria not maintained",
    effective: date(effective),
    by
  })

const revoked = (command: Recognition.RevokeRecognition) => {
  const { _tag, ...fields } = command
  return new Recognition.RecognitionRevoked(fields)
}

const stateOf = (events: ReadonlyArray<Recognition.Event>) => events.reduce(Recognition.evolve, Recognition.initial)

/** Recognition states by unit, from their events. */
const recordOf = (streams: Partial<Record<string, ReadonlyArray<Recognition.Event>>>) => {
  const states = new Map(Object.entries(streams).map(([u, events]) => [u, stateOf(events ?? [])]))
  return (u: UnitId) => states.get(u)
}

/** The context of a decision in one unit's stream, the other units' recognitions given. */
const contextFor =
  (
    streamUnit: UnitId,
    others: (u: UnitId) => Recognition.State | undefined = () => undefined,
    policy: Recognition.MergePolicy = Recognition.defaultMergePolicy
  ) =>
  (own: Recognition.State): Recognition.Context => ({
    hierarchy,
    holds: (u, s, d) => Recognition.holdsAt(hierarchy, (x) => (x === streamUnit ? own : others(x)), u, s, d, policy),
    published: (c) => c.id === "vn/2021-2025/commune" && c.version === "1"
  })

const specFor = (streamUnit: UnitId, others?: (u: UnitId) => Recognition.State | undefined) =>
  DeciderSpec.for(Recognition.decider, contextFor(streamUnit, others))

const holds = (
  record: (u: UnitId) => Recognition.State | undefined,
  u: UnitId,
  d: LocalDate,
  rule: "all" | "any" = "all",
  standard: StandardId = ntm
) => Recognition.holdsAt(hierarchy, record, u, standard, d, { ...Recognition.defaultMergePolicy, rule })

describe("Recognition", () => {
  describe("GrantRecognition", () => {
    it("grants a standard from a date", () => {
      const command = grant("12", caoXa, "2022-05-01")
      const events = specFor(caoXa)
        .given([])
        .when(command)
        .then([granted(command)])
      const record = recordOf({ [caoXa]: events })
      expect(holds(record, caoXa, date("2022-04-30"))).toBe(false)
      expect(holds(record, caoXa, date("2022-05-01"))).toBe(true)
      expect(holds(record, caoXa, date("2022-05-01"), "all", advanced)).toBe(false)
    })

    it("repeating a grant records nothing, whoever repeats it", () => {
      const command = grant("12", caoXa, "2022-05-01")
      specFor(caoXa)
        .given([granted(command)])
        .when(command)
        .thenNothing()
      specFor(caoXa)
        .given([granted(command)])
        .when(grant("12", caoXa, "2022-05-01", { by: admin }))
        .thenNothing()
    })

    it("rejects a recognition id already recorded differently", () => {
      specFor(caoXa)
        .given([granted(grant("12", caoXa, "2022-05-01"))])
        .when(grant("12", caoXa, "2022-05-01", { number: "13/QĐ-UBND" }))
        .thenRejects((r) => r._tag === "RecognitionConflict" && r.recognition === "12")
    })

    it("rejects a grant citing a catalog version never published", () => {
      const command = grant("12", caoXa, "2022-05-01")
      const unpublished = new Recognition.GrantRecognition({
        ...command,
        catalog: { id: catalogId("vn/2021-2025/commune"), version: "2" }
      })
      specFor(caoXa)
        .given([])
        .when(unpublished)
        .thenRejects(
          (r) => r._tag === "UnknownCatalogVersion" && r.catalog === "vn/2021-2025/commune" && r.version === "2"
        )
      specFor(caoXa)
        .given([])
        .when(new Recognition.GrantRecognition({ ...command, catalog: { id: catalogId("vn/nowhere"), version: "1" } }))
        .thenRejects("UnknownCatalogVersion")
    })

    it("rejects an unknown unit and a unit not in force on the date", () => {
      specFor(ghost)
        .given([])
        .when(grant("12", ghost, "2022-05-01"))
        .thenRejects("UnknownUnit")
      specFor(caoSon)
        .given([])
        .when(grant("12", caoSon, "2025-06-30"))
        .thenRejects("UnitNotInForce")
      specFor(caoXa)
        .given([])
        .when(grant("12", caoXa, "2025-07-01"))
        .thenRejects((r) => r._tag === "UnitNotInForce" && r.date === merger)
    })
  })

  describe("RevokeRecognition", () => {
    const first = granted(grant("12", caoXa, "2022-05-01"))

    it("revokes a standard held, from a date", () => {
      const command = revoke(caoXa, "2024-03-01")
      const events = specFor(caoXa)
        .given([first])
        .when(command)
        .then([revoked(command)])
      const record = recordOf({ [caoXa]: [first, ...events] })
      expect(holds(record, caoXa, date("2024-02-29"))).toBe(true)
      expect(holds(record, caoXa, date("2024-03-01"))).toBe(false)
    })

    it("repeating a revocation records nothing", () => {
      const command = revoke(caoXa, "2024-03-01")
      specFor(caoXa)
        .given([first, revoked(command)])
        .when(command)
        .thenNothing()
    })

    it("rejects revoking a standard not held on the date", () => {
      specFor(caoXa)
        .given([first])
        .when(revoke(caoXa, "2022-04-30"))
        .thenRejects((r) => r._tag === "NotRecognised" && r.date === date("2022-04-30"))
      specFor(caoXa)
        .given([first])
        .when(revoke(caoXa, "2024-03-01", { standard: advanced }))
        .thenRejects("NotRecognised")
      const once = revoke(caoXa, "2024-03-01")
      specFor(caoXa)
        .given([first, revoked(once)])
        .when(revoke(caoXa, "2024-06-01", { number: "100/QĐ-UBND" }))
        .thenRejects("NotRecognised")
    })

    it("rejects an unknown unit and a unit not in force", () => {
      specFor(ghost).given([]).when(revoke(ghost, "2024-03-01")).thenRejects("UnknownUnit")
      specFor(caoXa).given([first]).when(revoke(caoXa, "2025-07-01")).thenRejects("UnitNotInForce")
      specFor(phucSon).given([]).when(revoke(phucSon, "2024-06-01")).thenRejects("UnitNotInForce")
    })

    it("revokes a recognition carried over by a merge", () => {
      const others = recordOf({
        [caoXa]: [first],
        [lienSon]: [granted(grant("20", lienSon, "2023-01-01"))]
      })
      const command = revoke(caoSon, "2026-01-01")
      const events = specFor(caoSon, others)
        .given([])
        .when(command)
        .then([revoked(command)])
      const record = (u: UnitId) => (u === caoSon ? stateOf(events) : others(u))
      expect(holds(record, caoSon, date("2025-12-31"))).toBe(true)
      expect(holds(record, caoSon, date("2026-01-01"))).toBe(false)
    })
  })

  describe("recognitions carried over by merges (holdsAt)", () => {
    const caoXaNtm = granted(grant("12", caoXa, "2022-05-01"))
    const lienSonNtm = granted(grant("20", lienSon, "2023-01-01"))

    it("a new unit holds a standard from the merge date when all (or any) of the merged units held it the day before", () => {
      const one = recordOf({ [caoXa]: [caoXaNtm] })
      expect(holds(one, caoSon, merger, "all")).toBe(false)
      expect(holds(one, caoSon, merger, "any")).toBe(true)
      const both = recordOf({ [caoXa]: [caoXaNtm], [lienSon]: [lienSonNtm] })
      expect(holds(both, caoSon, merger, "all")).toBe(true)
      expect(holds(both, caoSon, date("2030-01-01"), "all")).toBe(true)
      // The day before, the new commune does not exist; on the merge date the merged ones no longer do.
      expect(holds(both, caoSon, dayBefore, "any")).toBe(false)
      expect(holds(both, caoXa, dayBefore)).toBe(true)
      expect(holds(both, caoXa, merger)).toBe(false)
    })

    it("a unit that continues counts itself among the units that formed it", () => {
      const ngocThienNtm = granted(grant("30", ngocThien, "2021-01-01"))
      const continuing = recordOf({ [ngocThien]: [ngocThienNtm] })
      expect(holds(continuing, ngocThien, dayBefore)).toBe(true)
      expect(holds(continuing, ngocThien, merger, "all")).toBe(false)
      expect(holds(continuing, ngocThien, merger, "any")).toBe(true)
      const merged = recordOf({ [ngocChau]: [granted(grant("31", ngocChau, "2021-01-01"))] })
      expect(holds(merged, ngocThien, merger, "all")).toBe(false)
      expect(holds(merged, ngocThien, merger, "any")).toBe(true)
      const both = recordOf({ [ngocThien]: [ngocThienNtm], [ngocChau]: [granted(grant("31", ngocChau, "2021-01-01"))] })
      expect(holds(both, ngocThien, merger, "all")).toBe(true)
    })

    it("the unit's own later decision takes precedence over the merge", () => {
      const ownGrant = granted(grant("40", caoSon, "2026-01-01"))
      const record = recordOf({ [caoXa]: [caoXaNtm], [caoSon]: [ownGrant] })
      expect(holds(record, caoSon, date("2025-12-31"), "all")).toBe(false)
      expect(holds(record, caoSon, date("2026-01-01"), "all")).toBe(true)
    })

    it("a revocation of a merged unit before the merge is not carried over", () => {
      const record = recordOf({
        [caoXa]: [caoXaNtm, revoked(revoke(caoXa, "2025-01-01"))],
        [lienSon]: [lienSonNtm]
      })
      expect(holds(record, caoSon, merger, "all")).toBe(false)
      expect(holds(record, caoSon, merger, "any")).toBe(true)
    })

    it("a grant carried over is counted by the decider: granting the merged unit its own recognition is allowed", () => {
      const others = recordOf({ [caoXa]: [caoXaNtm], [lienSon]: [lienSonNtm] })
      const command = grant("41", caoSon, "2025-07-01")
      specFor(caoSon, others)
        .given([])
        .when(command)
        .then([granted(command)])
    })
  })

  describe("properties over generated command sequences", () => {
    const dateArb = fc.constantFrom("2019-06-01", "2022-05-01", "2024-03-01", "2025-06-30", "2025-07-01", "2026-01-01")
    const standardArb = fc.constantFrom(ntm, ntm, advanced)
    const commandArb = (u: UnitId): fc.Arbitrary<Recognition.Command> =>
      fc.oneof(
        fc
          .record({
            recognition: fc.constantFrom("r-1", "r-2", "r-3"),
            effective: dateArb,
            standard: standardArb,
            number: fc.constantFrom("1/QĐ-UBND", "2/QĐ-UBND")
          })
          .map((c) => grant(c.recognition, u, c.effective, { standard: c.standard, number: c.number })),
        fc
          .record({ effective: dateArb, standard: standardArb, number: fc.constantFrom("9/QĐ-UBND", "10/QĐ-UBND") })
          .map((c) => revoke(u, c.effective, { standard: c.standard, number: c.number }))
      )
    /** The other units' records: the merged communes hold NTM, or not. */
    const othersArb = fc.record({ caoXa: fc.boolean(), lienSon: fc.boolean(), ngocChau: fc.boolean() }).map((held) =>
      recordOf({
        [caoXa]: held.caoXa ? [granted(grant("12", caoXa, "2022-05-01"))] : [],
        [lienSon]: held.lienSon ? [granted(grant("20", lienSon, "2023-01-01"))] : [],
        [ngocChau]: held.ngocChau ? [granted(grant("31", ngocChau, "2021-01-01"))] : []
      })
    )
    const runArb = fc.record({
      streamUnit: fc.constantFrom(caoXa, caoSon, ngocThien, phucSon, ghost),
      others: othersArb,
      rule: fc.constantFrom<"all" | "any">("all", "any")
    })

    it("every decision is idempotent, evolvable and rejects cleanly", () => {
      const outcomes = new Set<string>()
      fc.assert(
        fc.property(
          runArb.chain((run) => stepsArb(commandArb(run.streamUnit)).map((steps) => ({ ...run, steps }))),
          ({ streamUnit, others, rule, steps }) => {
            const context = contextFor(streamUnit, others, { ...Recognition.defaultMergePolicy, rule })
            checkSequence(Recognition.decider, steps, { context, outcomes })
          }
        ),
        { numRuns: 200 }
      )
      // The generators reach every command's events, repeats and every rejection.
      for (const o of [
        "GrantRecognition: events",
        "GrantRecognition: nothing",
        "RevokeRecognition: events",
        "RevokeRecognition: nothing",
        "RecognitionConflict",
        "NotRecognised",
        "UnknownUnit",
        "UnitNotInForce"
      ]) {
        expect(outcomes).toContain(o)
      }
    })
  })
})
