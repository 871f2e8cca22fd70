/**
 * The revocation rules of 18/2022/QĐ-TTg as data (`evaluate`, `ruleFor`) and a unit's standing as of a date
 * (`standingAt`): "not maintaining" (the scorecard no longer meets the standard) is a finding, "revoked" is a
 * decision recorded.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "fast-check"
import * as Catalog from "../src/Catalog.js"
import * as Commands from "../src/Commands.js"
import type * as EventStore from "../src/EventStore.js"
import * as Evidence from "../src/Evidence.js"
import * as EvidenceValue from "../src/EvidenceValue.js"
import * as Recognition from "../src/Recognition.js"
import * as Revocation from "../src/Revocation.js"
import type * as Scorecard from "../src/Scorecard.js"
import type * as Scoring from "../src/Scoring.js"
import * as ShippedCatalogs from "../src/ShippedCatalogs.js"
import { standardId } from "../src/Standard.js"
import { establish, recordedLedger } from "./arbitraries.js"
import {
  admin,
  communeCatalogDocument,
  communeOfficer,
  date,
  districtCatalogDocument,
  memoryStore,
  provinceOfficer,
  unit
} from "./fixtures.js"

const [communeRule, districtRule] = Revocation.rules18_2022 as [Revocation.Rule, Revocation.Rule]

/** A scorecard as `evaluate` reads it: only the criteria's codes and statuses. */
const card = (criteria: ReadonlyArray<readonly [string, Scoring.Status]>): Scorecard.Scorecard =>
  ({ criteria: criteria.map(([code, status]) => ({ code, status })) }) as unknown as Scorecard.Scorecard

/** `n` criteria coded 1..n: those listed in `failing` not met, those in `other` with the status given, the rest met. */
const criteria = (
  n: number,
  failing: ReadonlyArray<number>,
  other: Readonly<Record<number, Scoring.Status>> = {}
): Scorecard.Scorecard =>
  card(
    Array.from({ length: n }, (_, i) => {
      const code = i + 1
      return [`${code}`, failing.includes(code) ? "NotMet" : (other[code] ?? "Met")] as const
    })
  )

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i)

describe("Revocation rules of 18/2022 (data)", () => {
  it("ships the commune and district NTM rules of the 2021–2025 sets, and none for other standards", () => {
    expect(Revocation.ruleFor("vn/2021-2025/commune-ntm", "ntm")).toBe(communeRule)
    expect(Revocation.ruleFor("vn/2021-2025/district-ntm", "ntm")).toBe(districtRule)
    expect(communeRule.keyCriteria).toEqual(["10", "17", "19"])
    expect(districtRule.keyCriteria).toEqual(["6", "7", "8", "9"])
    expect(districtRule.revokedSubunits).toEqual({ kinds: ["commune"], from: 30 })
    // Advanced and model communes, advanced districts: the rules were not found, so none is shipped.
    expect(Revocation.ruleFor("vn/2021-2025/commune-advanced", "advanced")).toBeUndefined()
    expect(Revocation.ruleFor("vn/2021-2025/commune-model", "model")).toBeUndefined()
    expect(Revocation.ruleFor("vn/2021-2025/district-advanced", "advanced")).toBeUndefined()
    expect(Revocation.ruleFor("vn/2021-2025/commune-ntm", "advanced")).toBeUndefined()
    expect(Revocation.ruleFor("vn/2021-2025/commune-ntm", "ntm", [])).toBeUndefined()
  })
})

describe("Revocation.evaluate: the commune rule", () => {
  it("30% to 50% of criteria failing, with a key criterion (10, 17 or 19) among them: warranted", () => {
    for (const key of [10, 17, 19]) {
      const others = range(1, 9)
      const thirty = Revocation.evaluate(communeRule, criteria(20, [key, ...others.slice(0, 5)]))
      expect(thirty).toMatchObject({ warranted: true, failingShare: 30 })
      expect(thirty.reasons).toHaveLength(1)
      expect(thirty.reasons[0]).toContain(`${key}`)
      expect(Revocation.evaluate(communeRule, criteria(20, [key, ...others.slice(0, 7)]))).toMatchObject({
        warranted: true,
        failingShare: 40
      })
      // 50% is in the band (up to 50% inclusive) and at the "50% or more" threshold: two reasons.
      const fifty = Revocation.evaluate(communeRule, criteria(20, [key, ...others]))
      expect(fifty).toMatchObject({ warranted: true, failingShare: 50 })
      expect(fifty.reasons).toHaveLength(2)
    }
  })

  it("30% to under 50% failing without a key criterion: not warranted", () => {
    expect(Revocation.evaluate(communeRule, criteria(20, range(1, 6)))).toMatchObject({
      warranted: false,
      failingShare: 30,
      reasons: []
    })
    expect(Revocation.evaluate(communeRule, criteria(20, range(1, 9))).warranted).toBe(false)
    // 11 (multidimensional poverty) and 18 (political system): not key criteria.
    expect(Revocation.evaluate(communeRule, criteria(20, [11, 18, 1, 2, 3, 4])).warranted).toBe(false)
  })

  it("50% or more failing, whatever they are: warranted", () => {
    const fifty = Revocation.evaluate(communeRule, criteria(20, range(1, 9).concat(11)))
    expect(fifty).toMatchObject({ warranted: true, failingShare: 50 })
    expect(fifty.reasons).toHaveLength(1)
    expect(Revocation.evaluate(communeRule, criteria(19, range(1, 9).concat(11))).warranted).toBe(true)
    expect(Revocation.evaluate(communeRule, criteria(3, [1, 2, 3]))).toMatchObject({
      warranted: true,
      failingShare: 100
    })
  })

  it("the boundaries: exactly 30% with a key is warranted, just under is not; exactly 50% is", () => {
    expect(Revocation.evaluate(communeRule, criteria(10, [10, 1, 2])).warranted).toBe(true)
    // 2 of 7 is 28.6%; 5 of 17 is 29.4%: under 30% even with every key criterion failing.
    expect(Revocation.evaluate(communeRule, criteria(7, [1, 2])).warranted).toBe(false)
    expect(Revocation.evaluate(communeRule, criteria(19, [10, 17, 19, 1, 2])).warranted).toBe(false)
    // 6 of 19 is 31.6%.
    expect(Revocation.evaluate(communeRule, criteria(19, [17, 1, 2, 3, 4, 5])).warranted).toBe(true)
    expect(Revocation.evaluate(communeRule, criteria(10, range(1, 5))).warranted).toBe(true)
    // 9 of 19 is 47.4%: not without a key criterion; 10 of 19 is 52.6%.
    expect(Revocation.evaluate(communeRule, criteria(19, range(1, 9))).warranted).toBe(false)
    expect(Revocation.evaluate(communeRule, criteria(19, [...range(1, 9), 11])).warranted).toBe(true)
  })

  it("a commune has no rule on revoked sub-units", () => {
    expect(Revocation.evaluate(communeRule, criteria(10, []), { revoked: 10, total: 10 }).warranted).toBe(false)
  })
})

describe("Revocation.evaluate: the district rule", () => {
  it("30% to under 50% failing with a key criterion (6, 7, 8 or 9): warranted", () => {
    for (const key of [6, 7, 8, 9]) {
      const others = [1, 2, 3, 4].filter((c) => c !== key)
      expect(Revocation.evaluate(districtRule, criteria(10, [key, ...others.slice(0, 2)]))).toMatchObject({
        warranted: true,
        failingShare: 30
      })
      expect(Revocation.evaluate(districtRule, criteria(10, [key, ...others.slice(0, 3)])).warranted).toBe(true)
    }
    // 10 (a commune key criterion) is not a district key criterion.
    expect(Revocation.evaluate(districtRule, criteria(10, [10, 1, 2, 3])).warranted).toBe(false)
    expect(Revocation.evaluate(districtRule, criteria(10, [1, 2, 3, 4])).warranted).toBe(false)
  })

  it("50% or more failing: warranted, and 50% is outside the key band (under 50%)", () => {
    const fifty = Revocation.evaluate(districtRule, criteria(10, [8, 1, 2, 3, 4]))
    expect(fifty).toMatchObject({ warranted: true, failingShare: 50 })
    expect(fifty.reasons).toHaveLength(1)
    expect(fifty.reasons[0]).toContain("≥ 50%")
    expect(Revocation.evaluate(districtRule, criteria(10, [1, 2, 3, 4, 5])).warranted).toBe(true)
  })

  it("30% or more of its communes revoked: warranted, whatever its own criteria", () => {
    const met = criteria(9, [])
    expect(Revocation.evaluate(districtRule, met, { revoked: 3, total: 10 })).toMatchObject({
      warranted: true,
      failing: []
    })
    expect(Revocation.evaluate(districtRule, met, { revoked: 1, total: 3 }).reasons[0]).toContain("1/3")
    expect(Revocation.evaluate(districtRule, met, { revoked: 2, total: 10 }).warranted).toBe(false)
    expect(Revocation.evaluate(districtRule, met, { revoked: 0, total: 0 }).warranted).toBe(false)
    expect(Revocation.evaluate(districtRule, met).warranted).toBe(false)
  })
})

describe("Revocation.evaluate: what is counted", () => {
  it("criteria with no data or undetermined are listed as unassessed, not counted as failing", () => {
    const f = Revocation.evaluate(
      communeRule,
      criteria(10, [10, 1], { 2: "NoData", 3: "NoData", 4: "Undetermined", 5: "Undetermined" })
    )
    // Counted as failing they would make 6 of 10 (60%).
    expect(f).toMatchObject({
      warranted: false,
      failing: ["1", "10"],
      unassessed: ["2", "3", "4", "5"],
      failingShare: 20
    })
    expect(f.rule).toBe(communeRule)
  })

  it("criteria not applicable are left out of the count", () => {
    const f = Revocation.evaluate(
      communeRule,
      criteria(10, [10, 1], { 2: "NotApplicable", 3: "NotApplicable", 4: "NotApplicable", 5: "NotApplicable" })
    )
    // 2 of the 6 applicable criteria (33%), with criterion 10; counted in the total it would be 20%.
    expect(f.warranted).toBe(true)
    expect(f.failingShare).toBeCloseTo(100 / 3)
    expect(f.unassessed).toEqual([])
    const none = Revocation.evaluate(communeRule, card([["10", "NotApplicable"]]))
    expect(none).toMatchObject({ warranted: false, failing: [], failingShare: 0 })
    expect(Revocation.evaluate(communeRule, card([])).warranted).toBe(false)
  })

  it("the revocation warning agrees with a direct computation of the 18/2022 thresholds", () => {
    const statusArb = fc.oneof(
      { weight: 3, arbitrary: fc.constant<Scoring.Status>("NotMet") },
      { weight: 3, arbitrary: fc.constant<Scoring.Status>("Met") },
      { weight: 1, arbitrary: fc.constant<Scoring.Status>("NoData") },
      { weight: 1, arbitrary: fc.constant<Scoring.Status>("Undetermined") },
      { weight: 1, arbitrary: fc.constant<Scoring.Status>("NotApplicable") }
    )
    // Criteria coded 1..20 in any order and number, so that key criteria are sometimes among them, sometimes not.
    const criteriaArb = fc
      .shuffledSubarray(
        range(1, 20).map((c) => `${c}`),
        { minLength: 0 }
      )
      .chain((codes) =>
        fc
          .array(statusArb, { minLength: codes.length, maxLength: codes.length })
          .map((statuses) => codes.map((code, i) => [code, statuses[i]!] as const))
      )
    const subunitsArb = fc.option(
      fc
        .integer({ min: 0, max: 20 })
        .chain((total) => fc.integer({ min: 0, max: total }).map((revoked) => ({ revoked, total }))),
      { nil: undefined }
    )
    fc.assert(
      fc.property(criteriaArb, subunitsArb, (list, subunits) => {
        const assessed = list.filter(([, s]) => s !== "NotApplicable")
        const failing = assessed.filter(([, s]) => s === "NotMet").map(([c]) => c)
        const f = failing.length
        const t = assessed.length
        // Shares compared in whole numbers: f of t is at least p% when 100 f ≥ p t.
        const atLeast = (p: number) => t > 0 && 100 * f >= p * t
        const atMost = (p: number) => t > 0 && 100 * f <= p * t
        const under = (p: number) => t > 0 && 100 * f < p * t
        const has = (keys: ReadonlyArray<string>) => failing.some((c) => keys.includes(c))
        // Commune: 30% to 50% (inclusive) with income (10), environment and food safety (17) or defence and
        // security (19); or 50% or more.
        const commune = (atLeast(30) && atMost(50) && has(["10", "17", "19"])) || atLeast(50)
        // District: 30% or more of its communes revoked; 30% to under 50% with economy (6), environment (7),
        // quality of the living environment (8) or the political system – security – administration (9); 50% or more.
        const communesRevoked =
          subunits !== undefined && subunits.total > 0 && 100 * subunits.revoked >= 30 * subunits.total
        const district = communesRevoked || (atLeast(30) && under(50) && has(["6", "7", "8", "9"])) || atLeast(50)
        const scorecard = card(list)
        const c = Revocation.evaluate(communeRule, scorecard, subunits)
        const d = Revocation.evaluate(districtRule, scorecard, subunits)
        expect(c.warranted).toBe(commune)
        expect(d.warranted).toBe(district)
        expect(c.reasons.length > 0).toBe(commune)
        for (const x of [c, d]) {
          expect(x.failing).toEqual(failing)
          expect(x.unassessed).toEqual(
            list.filter(([, s]) => s === "NoData" || s === "Undetermined").map(([code]) => code)
          )
          expect(x.failingShare).toBeCloseTo(t === 0 ? 0 : (100 * f) / t, 9)
        }
      }),
      { numRuns: 2000 }
    )
  })
})

// ---------------------------------------------------------------------------------------------------------------
// Standing through a ledger
// ---------------------------------------------------------------------------------------------------------------

const verified = { status: "verified", sources: ["test"] }
const communeNtm = Catalog.catalogId("vn/2021-2025/commune-ntm")
const districtNtm = Catalog.catalogId("vn/2021-2025/district-ntm")
const ntm = standardId("ntm")

/** The test commune catalog re-ided to the shipped commune NTM set, with ten criteria of one attainment each. */
const tenCriteria = Either.getOrThrow(
  Catalog.decode(
    communeCatalogDocument({
      id: communeNtm,
      criteria: range(1, 10).map((c) => ({
        code: `${c}`,
        name: { vi: `Tiêu chí ${c}`, en: `Criterion ${c}` },
        provenance: verified,
        indicators: [
          {
            code: `${c}.1`,
            name: { vi: `Chỉ tiêu ${c}.1`, en: `Indicator ${c}.1` },
            requirement: { _tag: "Attainment" },
            provenance: verified
          }
        ]
      }))
    })
  )
)

/** The test district catalog re-ided to the shipped district NTM set. */
const districtSet = Either.getOrThrow(Catalog.decode({ ...districtCatalogDocument(), id: districtNtm }))

const attain = (u: string, catalog: Catalog.CatalogId, code: string, attained: boolean, effective: string) =>
  Commands.evidence(
    new Evidence.RecordEvidence({
      entry: `${u}:${code}:${effective}`,
      unit: unit(u),
      catalog,
      code,
      value: new EvidenceValue.Attained({ attained }),
      effective: date(effective),
      sources: [],
      by: communeOfficer(u)
    })
  )

const decision = (number: string, effective: string) => new Recognition.Decision({ number, date: date(effective) })

const grant = (u: string, effective: string, catalog: Catalog.CatalogId = communeNtm, version = "1") =>
  Commands.recognise(
    new Recognition.GrantRecognition({
      recognition: `r:${u}:${effective}`,
      unit: unit(u),
      standard: ntm,
      catalog: { id: catalog, version },
      decision: decision(`${u}/QĐ-UBND`, effective),
      effective: date(effective),
      by: provinceOfficer("p")
    })
  )

const revoke = (u: string, effective: string) =>
  Commands.recognise(
    new Recognition.RevokeRecognition({
      unit: unit(u),
      standard: ntm,
      decision: decision(`thu-hoi:${u}/QĐ-UBND`, effective),
      reason: "Không duy trì tiêu chí / criteria not maintained",
      effective: date(effective),
      by: provinceOfficer("p")
    })
  )

const hierarchy = (communes: ReadonlyArray<string>, extra: Effect.Effect<unknown, unknown, EventStore.EventStore>) =>
  Effect.gen(function* () {
    yield* establish("p", "province", undefined, { region: "A" })
    yield* establish("p/d", "district", "p")
    for (const c of communes) yield* establish(`p/d/${c}`, "commune", "p/d")
    yield* extra
  })

describe("Revocation.standingAt", () => {
  it.effect("not maintaining is not revoked: a commune keeps its recognition until a revocation is recorded", () =>
    Effect.gen(function* () {
      yield* Commands.publishCatalog(tenCriteria, admin)
      yield* hierarchy(["x1", "x2"], Effect.void)
      for (const c of range(1, 10)) yield* attain("p/d/x1", communeNtm, `${c}.1`, true, "2022-01-01")
      yield* grant("p/d/x1", "2022-06-01")
      // Two criteria fall (20%), then income (criterion 10) too (30%).
      yield* attain("p/d/x1", communeNtm, "1.1", false, "2023-01-01")
      yield* attain("p/d/x1", communeNtm, "2.1", false, "2023-01-01")
      yield* attain("p/d/x1", communeNtm, "10.1", false, "2023-06-01")
      yield* revoke("p/d/x1", "2023-09-01")
      yield* grant("p/d/x1", "2024-06-01")
      const ledger = yield* recordedLedger
      const at = (d: string) => Revocation.standingAt(ledger, unit("p/d/x1"), ntm, date(d))

      // Before the recognition: meets the standard, holds nothing, so no finding.
      expect(at("2022-05-31")).toMatchObject({ holds: false, revoked: false, maintaining: true, finding: undefined })
      // Recognised and maintaining.
      expect(at("2022-07-01")).toMatchObject({ unit: "p/d/x1", standard: "ntm", holds: true, revoked: false })
      expect(at("2022-07-01").maintaining).toBe(true)
      expect(at("2022-07-01").finding).toMatchObject({ warranted: false, failing: [], rule: communeRule })
      // Not maintaining: 2 of 10 criteria fail; still recognised, and revocation is not warranted.
      const falling = at("2023-02-01")
      expect(falling).toMatchObject({ holds: true, revoked: false, maintaining: false })
      expect(falling.finding).toMatchObject({ warranted: false, failing: ["1", "2"], failingShare: 20 })
      // 30% with income: revocation warranted, but the commune still holds the recognition: nothing was decided.
      const warned = at("2023-08-31")
      expect(warned).toMatchObject({ holds: true, revoked: false, maintaining: false })
      expect(warned.finding).toMatchObject({ warranted: true, failing: ["1", "2", "10"], failingShare: 30 })
      // Revoked: a decision is recorded; the unit no longer holds it, so there is no finding to make.
      expect(at("2023-09-01")).toMatchObject({ holds: false, revoked: true, maintaining: false, finding: undefined })
      // Recognised again later: no longer revoked.
      expect(at("2024-06-01")).toMatchObject({ holds: true, revoked: false, maintaining: false })
      // A commune never recognised is neither.
      expect(Revocation.standingAt(ledger, unit("p/d/x2"), ntm, date("2023-09-01"))).toMatchObject({
        holds: false,
        revoked: false,
        maintaining: false,
        finding: undefined
      })
      // A standard without a rule, or no rules at all: no scorecard is read and no finding made.
      expect(Revocation.standingAt(ledger, unit("p/d/x1"), standardId("advanced"), date("2023-02-01"))).toEqual({
        unit: "p/d/x1",
        standard: "advanced",
        holds: false,
        revoked: false,
        maintaining: undefined,
        finding: undefined
      })
      expect(Revocation.standingAt(ledger, unit("p/d/x1"), ntm, date("2023-08-31"), [])).toMatchObject({
        holds: true,
        maintaining: undefined,
        finding: undefined
      })
    }).pipe(Effect.provide(memoryStore))
  )

  it.effect("with the shipped commune NTM set, criteria without indicators have no data and are not counted", () =>
    Effect.gen(function* () {
      const shipped = Either.getOrThrow(ShippedCatalogs.load()).find(
        (c) => c.id === ShippedCatalogs.ids.communeNtm2021 && c.version === "318/2022"
      )!
      yield* Commands.publishCatalog(shipped, admin)
      yield* hierarchy(["x1"], Effect.void)
      yield* attain("p/d/x1", communeNtm, "3.2", false, "2022-04-01")
      yield* grant("p/d/x1", "2022-05-01", communeNtm, shipped.version)
      const ledger = yield* recordedLedger
      const s = Revocation.standingAt(ledger, unit("p/d/x1"), ntm, date("2022-06-01"))
      expect(s).toMatchObject({ holds: true, revoked: false, maintaining: false })
      // One of 19 criteria fails; the other 18 are unassessed (no indicators known, or no evidence).
      expect(s.finding).toMatchObject({ warranted: false, failing: ["3"] })
      expect(s.finding!.unassessed).toHaveLength(18)
      expect(s.finding!.failingShare).toBeCloseTo(100 / 19)
    }).pipe(Effect.provide(memoryStore))
  )

  it.effect("a district: 30% or more of its communes revoked warrants revocation; towns are not counted", () =>
    Effect.gen(function* () {
      yield* Commands.publishCatalog(tenCriteria, admin)
      yield* Commands.publishCatalog(districtSet, admin)
      yield* hierarchy(["x1", "x2", "x3", "x4"], establish("p/d/t", "town", "p/d"))
      yield* attain("p/d", districtNtm, "1.1", true, "2022-01-01")
      for (const c of ["x1", "x2", "x3", "x4", "t"]) yield* grant(`p/d/${c}`, "2022-06-01")
      yield* grant("p/d", "2022-07-01", districtNtm)
      yield* revoke("p/d/t", "2023-01-01")
      yield* revoke("p/d/x1", "2023-03-01")
      yield* revoke("p/d/x2", "2023-06-01")
      const ledger = yield* recordedLedger
      const at = (d: string) => Revocation.standingAt(ledger, unit("p/d"), ntm, date(d))

      expect(at("2022-12-31")).toMatchObject({ holds: true, revoked: false, maintaining: true })
      expect(at("2022-12-31").finding).toMatchObject({ warranted: false, rule: districtRule })
      // The town and one commune of four revoked: 1 of 4 communes (25%); counting the town it would be 2 of 5.
      expect(at("2023-03-01").finding!.warranted).toBe(false)
      // Two communes of four (50%): warranted, and the district still holds NTM. Its own criteria and its entry
      // condition (half of its communes NTM: 2 of 4) are still met: maintaining, yet revocation is warranted.
      const warned = at("2023-06-01")
      expect(warned).toMatchObject({ holds: true, revoked: false, maintaining: true })
      expect(warned.finding).toMatchObject({ warranted: true, failing: [] })
      expect(warned.finding!.reasons).toHaveLength(1)
      expect(warned.finding!.reasons[0]).toContain("2/4")
    }).pipe(Effect.provide(memoryStore))
  )
})
