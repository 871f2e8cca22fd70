/**
 * fast-check arbitraries for the scoring properties: catalogs decoded from generated documents, a small hierarchy
 * (a province, its districts, their communes and towns) with an optional restructuring, and event histories.
 *
 * A history is generated as a list of abstract operations (record, correct, retract, assess, grant, revoke, …)
 * that are interpreted by running the matching commands through the deciders (`Evidence`, `Recognition`,
 * `Hierarchy`, `CatalogSet`) against the state built so far. A command a decider rejects is skipped, so every
 * history obeys the rules a store would: evidence fits its item's requirement, corrections and retractions touch
 * only a chain's head, revocations only what is held, merges only units in force.
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Stream from "effect/Stream"
import * as fc from "fast-check"
import { Actor, defaultAssessmentPolicy, type Role } from "../src/Actor.js"
import * as Catalog from "../src/Catalog.js"
import * as CatalogSet from "../src/CatalogSet.js"
import * as Commands from "../src/Commands.js"
import * as Commitment from "../src/Commitment.js"
import * as Dossier from "../src/Dossier.js"
import * as EventStore from "../src/EventStore.js"
import type { DomainEvent, Recorded } from "../src/Events.js"
import * as Events from "../src/Events.js"
import * as Evidence from "../src/Evidence.js"
import * as EvidenceValue from "../src/EvidenceValue.js"
import * as Hierarchy from "../src/Hierarchy.js"
import * as Ledger from "../src/Ledger.js"
import * as LocalDate from "../src/LocalDate.js"
import * as Recognition from "../src/Recognition.js"
import type { Requirement } from "../src/Requirement.js"
import * as Scorecard from "../src/Scorecard.js"
import { type StandardId, standardId } from "../src/Standard.js"
import { type UnitId, type UnitKind, unitId } from "../src/Unit.js"
import { name } from "./fixtures.js"

// ---------------------------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------------------------

/** The first and last effective dates generated. */
export const FIRST = LocalDate.unsafeMake("2020-01-01")
export const LAST = LocalDate.unsafeMake("2026-12-31")
const SPAN = (LocalDate.toEpochMillis(LAST) - LocalDate.toEpochMillis(FIRST)) / 86_400_000

/** Dates that many generated facts share, so that ties on an effective date are common. */
export const keyDates: ReadonlyArray<LocalDate.LocalDate> = [
  "2020-01-01",
  "2021-07-01",
  "2022-01-01",
  "2023-01-01",
  "2023-06-30",
  "2024-01-01",
  "2025-07-01",
  "2026-12-31"
].map(LocalDate.unsafeMake)

/** Any date of 2020–2026. */
export const anyDate: fc.Arbitrary<LocalDate.LocalDate> = fc
  .integer({ min: 0, max: SPAN })
  .map((n) => LocalDate.addDays(FIRST, n))

/** A date of 2020–2026, often one of the {@link keyDates}. */
export const date: fc.Arbitrary<LocalDate.LocalDate> = fc.oneof(fc.constantFrom(...keyDates), anyDate)

/** A date after the first year, when units and catalogs exist: for merges, moves and new versions. */
const laterDate: fc.Arbitrary<LocalDate.LocalDate> = date.filter((d) => d >= "2020-07-01")

// ---------------------------------------------------------------------------------------------------------------
// Catalogs
// ---------------------------------------------------------------------------------------------------------------

/** The standards recognitions are granted for and requirements count. */
export const standards: ReadonlyArray<StandardId> = ["ntm", "advanced"].map(standardId)

/** The classes of the generated classification (`region`). */
export const regions = ["A", "B"] as const
export type Region = (typeof regions)[number]

const SCALE = ["IV", "III", "II", "I"] as const
const SOURCE = "gen"
const verified = { status: "verified", sources: [SOURCE] }

const bilingual = (vi: string, en: string) => ({ vi, en })

/** A threshold document: mostly known, sometimes unknown or left to the province. */
const threshold = <A>(value: fc.Arbitrary<A>) =>
  fc.oneof(
    { weight: 5, arbitrary: value.map((v) => ({ _tag: "Known", value: v, ...verified })) },
    { weight: 1, arbitrary: fc.constant({ _tag: "Unknown" }) },
    { weight: 1, arbitrary: fc.constant({ _tag: "SetByProvince" }) }
  )

const percent = fc.oneof(fc.constantFrom(0, 10, 50, 70, 100), fc.integer({ min: 0, max: 100 }))

/** A requirement measured by evidence. */
export const evidenceRequirement: fc.Arbitrary<object> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ _tag: "Attainment" }) },
  { weight: 3, arbitrary: threshold(percent).map((t) => ({ _tag: "MinPercent", threshold: t })) },
  { weight: 2, arbitrary: threshold(percent).map((t) => ({ _tag: "MaxPercent", threshold: t })) },
  { weight: 2, arbitrary: threshold(fc.integer({ min: 0, max: 4 })).map((t) => ({ _tag: "MinCount", threshold: t })) },
  {
    weight: 2,
    arbitrary: threshold(fc.integer({ min: 0, max: 60 })).map((t) => ({
      _tag: "MinQuantity",
      unit: bilingual("triệu đồng", "million VND"),
      threshold: t
    }))
  },
  {
    weight: 2,
    arbitrary: fc.integer({ min: 1, max: SCALE.length }).chain((n) =>
      threshold(fc.constantFrom(...SCALE.slice(0, n))).map((t) => ({
        _tag: "MinClass",
        scale: SCALE.slice(0, n),
        threshold: t
      }))
    )
  },
  { weight: 1, arbitrary: fc.constant({ _tag: "DefinedByProvince" }) },
  { weight: 1, arbitrary: fc.constant({ _tag: "NotKnown" }) }
)

const kindsCounted: ReadonlyArray<UnitKind> = ["commune", "town", "district"]

/** A share-of-sub-units requirement: a known threshold (sometimes unknown), every rounding rule. */
export const shareRequirement: fc.Arbitrary<object> = fc
  .record({
    subunitKinds: fc.subarray([...kindsCounted], { minLength: 1 }),
    standards: fc.subarray([...standards], { minLength: 1 }),
    threshold: fc.oneof(
      { weight: 6, arbitrary: percent.map((v) => ({ _tag: "Known", value: v, ...verified })) },
      { weight: 1, arbitrary: fc.constant({ _tag: "Unknown" }) }
    ),
    rounding: fc.constantFrom(undefined, "ceil", "floor", "round", "ratio")
  })
  .map(({ rounding, ...r }) => ({ _tag: "MinShareOfSubunits", ...r, ...(rounding === undefined ? {} : { rounding }) }))

const holdsRequirement = fc
  .subarray([...standards], { minLength: 1 })
  .map((s) => ({ _tag: "HoldsRecognition", standards: s }))

/** What an indicator or condition says besides its code. */
const itemBody = (requirement: fc.Arbitrary<object>, classified: boolean) =>
  fc
    .record({
      requirement,
      byClass: classified
        ? fc.record({ A: fc.option(requirement), B: fc.option(requirement) })
        : fc.constant(undefined),
      conditional: fc.boolean()
    })
    .map(({ requirement, byClass, conditional }) => {
      const requirementByClass: Record<string, object> = {}
      if (byClass?.A) requirementByClass.A = byClass.A
      if (byClass?.B) requirementByClass.B = byClass.B
      return {
        requirement,
        ...(Object.keys(requirementByClass).length > 0 ? { requirementByClass } : {}),
        ...(conditional ? { appliesOnlyIf: bilingual("nếu có quy hoạch", "if planned") } : {})
      }
    })

/** How to make one catalog version. */
export interface CatalogSpec {
  readonly id: string
  readonly version: string
  readonly from: LocalDate.LocalDate
  readonly appliesTo: ReadonlyArray<UnitKind>
  readonly standard: StandardId
  /** Set for a provincial version. */
  readonly province?: UnitId
}

/**
 * A catalog document (the encoded form `Catalog.decode` reads): 1–4 criteria of 0–4 indicators, 0–3 entry
 * conditions (shares of sub-units, recognitions held, or measured), and most often the 2-class `region`
 * classification with some requirements by class.
 */
export const catalogDocument = (spec: CatalogSpec): fc.Arbitrary<Record<string, unknown>> =>
  fc
    .oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) })
    .chain((classified) =>
      fc
        .record({
          // A criterion whose indicators are not known has none: possible, but rarer than the others.
          criteria: fc.array(
            fc.oneof(
              { weight: 1, arbitrary: fc.constant([]) },
              {
                weight: 5,
                arbitrary: fc.array(itemBody(evidenceRequirement, classified), { minLength: 1, maxLength: 4 })
              }
            ),
            { minLength: 1, maxLength: 4 }
          ),
          conditions: fc.array(
            itemBody(
              fc.oneof(
                { weight: 3, arbitrary: shareRequirement },
                { weight: 2, arbitrary: holdsRequirement },
                { weight: 1, arbitrary: evidenceRequirement }
              ),
              classified
            ),
            { maxLength: 3 }
          )
        })
        .map(({ criteria, conditions }) => ({
          id: spec.id,
          version: spec.version,
          name: bilingual(`Bộ tiêu chí ${spec.id}`, `Criteria set ${spec.id}`),
          appliesTo: spec.appliesTo,
          standard: spec.standard,
          legalBasis: [],
          effective: { from: spec.from },
          ...(spec.province === undefined ? {} : { province: spec.province }),
          ...(classified
            ? {
                classification: {
                  scheme: "region",
                  name: bilingual("Vùng", "Region"),
                  classes: regions.map((r) => ({ code: r, name: bilingual(`Vùng ${r}`, `Region ${r}`) }))
                }
              }
            : {}),
          provenance: verified,
          sources: [{ id: SOURCE, title: "Generated", kind: "illustrative" }],
          criteria: criteria.map((indicators, i) => ({
            code: `${i + 1}`,
            name: bilingual(`Tiêu chí ${i + 1}`, `Criterion ${i + 1}`),
            provenance: verified,
            indicators: indicators.map((body, j) => ({
              code: `${i + 1}.${j + 1}`,
              name: bilingual(`Chỉ tiêu ${i + 1}.${j + 1}`, `Indicator ${i + 1}.${j + 1}`),
              ...body,
              provenance: verified
            }))
          })),
          conditions: conditions.map((body, i) => ({
            code: `ĐK${i + 1}`,
            name: bilingual(`Điều kiện ${i + 1}`, `Condition ${i + 1}`),
            ...body,
            provenance: verified
          }))
        }))
    )

/** Decodes a generated document; a failure is a bug of the generator. */
export const decodeCatalog = (document: unknown): Catalog.Catalog =>
  Either.getOrElse(Catalog.decode(document, "generated"), (e) => {
    throw new Error(e.message)
  })

/** A valid catalog, built through `Catalog.decode`. */
export const catalog = (spec: CatalogSpec): fc.Arbitrary<Catalog.Catalog> => catalogDocument(spec).map(decodeCatalog)

/** The generated province. */
export const province = unitId("p")

/** The ids of the two generated criteria sets: one for communes (and towns), one for districts (and the province). */
export const communeSet = Catalog.catalogId("gen/commune")
export const districtSet = Catalog.catalogId("gen/district")
export const catalogIds: ReadonlyArray<Catalog.CatalogId> = [communeSet, districtSet]

/**
 * Both criteria sets: a first version from 2020-01-01 and sometimes a second one from a later date, national or
 * provincial (for the generated province).
 */
export const catalogs: fc.Arbitrary<ReadonlyArray<Catalog.Catalog>> = fc
  .record({
    communeKinds: fc.constantFrom<ReadonlyArray<UnitKind>>(["commune", "town"], ["commune"]),
    districtKinds: fc.constantFrom<ReadonlyArray<UnitKind>>(["district"], ["district", "province"]),
    communeV2: fc.option(fc.record({ from: laterDate, provincial: fc.boolean() }), { nil: undefined, freq: 3 }),
    districtV2: fc.option(fc.record({ from: laterDate, provincial: fc.boolean() }), { nil: undefined, freq: 3 })
  })
  .chain(({ communeKinds, districtKinds, communeV2, districtV2 }) => {
    const specs: Array<CatalogSpec> = [
      { id: communeSet, version: "1", from: FIRST, appliesTo: communeKinds, standard: standardId("ntm") },
      { id: districtSet, version: "1", from: FIRST, appliesTo: districtKinds, standard: standardId("advanced") }
    ]
    const second = (base: CatalogSpec, v2: { from: LocalDate.LocalDate; provincial: boolean } | undefined) => {
      if (v2 === undefined) return
      specs.push({ ...base, version: "2", from: v2.from, ...(v2.provincial ? { province } : {}) })
    }
    second(specs[0]!, communeV2)
    second(specs[1]!, districtV2)
    return fc.tuple(...specs.map(catalog))
  })

// ---------------------------------------------------------------------------------------------------------------
// Hierarchies
// ---------------------------------------------------------------------------------------------------------------

/** A restructuring of the generated hierarchy (indices are taken modulo the number of candidates). */
export type Change =
  | { readonly _tag: "None" }
  | {
      readonly _tag: "MergeCommunes"
      readonly into: number
      readonly merged: ReadonlyArray<number>
      readonly date: LocalDate.LocalDate
    }
  | {
      readonly _tag: "MergeDistricts"
      readonly into: number
      readonly merged: number
      readonly date: LocalDate.LocalDate
    }
  | { readonly _tag: "Move"; readonly unit: number; readonly to: number; readonly date: LocalDate.LocalDate }
  | { readonly _tag: "DissolveDistrict"; readonly district: number; readonly date: LocalDate.LocalDate }

/** A commune or town to establish. */
export interface ChildPlan {
  readonly kind: "commune" | "town"
  readonly region: Region | undefined
  readonly established: LocalDate.LocalDate
}

/** A province, 1–3 districts of 0–6 communes or towns each, and optionally a merge, a move or a dissolution. */
export interface HierarchyPlan {
  readonly provinceRegion: Region
  readonly districts: ReadonlyArray<{
    readonly region: Region | undefined
    readonly children: ReadonlyArray<ChildPlan>
  }>
  readonly change: Change
  /** A unit whose region changes on a date. */
  readonly reclassify:
    | { readonly unit: number; readonly region: Region; readonly date: LocalDate.LocalDate }
    | undefined
}

const region = fc.constantFrom(...regions)

export const hierarchyPlan: fc.Arbitrary<HierarchyPlan> = fc.record({
  provinceRegion: region,
  districts: fc.array(
    fc.record({
      region: fc.option(region, { nil: undefined }),
      children: fc.array(
        fc.record({
          kind: fc.oneof(
            { weight: 3, arbitrary: fc.constant("commune" as const) },
            { weight: 1, arbitrary: fc.constant("town" as const) }
          ),
          region: fc.option(region, { nil: undefined, freq: 3 }),
          established: fc.oneof({ weight: 5, arbitrary: fc.constant(FIRST) }, { weight: 1, arbitrary: date })
        }),
        { maxLength: 6 }
      )
    }),
    { minLength: 1, maxLength: 3 }
  ),
  change: fc.oneof(
    { weight: 2, arbitrary: fc.constant({ _tag: "None" } as const) },
    fc.record({
      _tag: fc.constant("MergeCommunes" as const),
      into: fc.nat(),
      merged: fc.array(fc.nat(), { minLength: 1, maxLength: 2 }),
      date: laterDate
    }),
    fc.record({ _tag: fc.constant("MergeDistricts" as const), into: fc.nat(), merged: fc.nat(), date: laterDate }),
    fc.record({ _tag: fc.constant("Move" as const), unit: fc.nat(), to: fc.nat(), date: laterDate }),
    fc.record({ _tag: fc.constant("DissolveDistrict" as const), district: fc.nat(), date: laterDate })
  ),
  reclassify: fc.option(fc.record({ unit: fc.nat(), region, date: laterDate }), { nil: undefined, freq: 3 })
})

/** A generated unit. */
export interface UnitInfo {
  readonly id: UnitId
  readonly kind: UnitKind
  readonly parent: UnitId | undefined
  readonly region: Region | undefined
  readonly established: LocalDate.LocalDate
}

/** The units of a plan: children first, then the districts, then the province. */
export const unitsOf = (plan: HierarchyPlan): ReadonlyArray<UnitInfo> => {
  const districts = plan.districts.map((_, i) => unitId(`p/d${i + 1}`))
  const children = plan.districts.flatMap((d, i) =>
    d.children.map(
      (c, j): UnitInfo => ({
        id: unitId(`p/d${i + 1}/x${j + 1}`),
        kind: c.kind,
        parent: districts[i],
        region: c.region,
        established: c.established
      })
    )
  )
  return [
    ...children,
    ...districts.map(
      (id, i): UnitInfo => ({
        id,
        kind: "district",
        parent: province,
        region: plan.districts[i]!.region,
        established: FIRST
      })
    ),
    { id: province, kind: "province", parent: undefined, region: plan.provinceRegion, established: FIRST }
  ]
}

/**
 * The hierarchy as the plan describes it, computed directly (not through `Hierarchy`): for each unit, its parents
 * over time and when it ceased.
 */
export interface ReferenceHierarchy {
  readonly parentAt: (unit: UnitId, date: LocalDate.LocalDate) => UnitId | undefined
  readonly inForce: (unit: UnitId, date: LocalDate.LocalDate) => boolean
  readonly childrenAt: (unit: UnitId, date: LocalDate.LocalDate) => ReadonlyArray<UnitInfo>
}

const referenceHierarchy = (units: ReadonlyArray<UnitInfo>, applied: Change): ReferenceHierarchy => {
  const parents = new Map<UnitId, Array<{ from: LocalDate.LocalDate; parent: UnitId | undefined }>>(
    units.map((u) => [u.id, [{ from: u.established, parent: u.parent }]])
  )
  const ceased = new Map<UnitId, LocalDate.LocalDate>()
  const parentAt = (unit: UnitId, d: LocalDate.LocalDate) =>
    [...(parents.get(unit) ?? [])].reverse().find((p) => p.from <= d)?.parent
  const inForce = (unit: UnitId, d: LocalDate.LocalDate) => {
    const u = units.find((x) => x.id === unit)
    const end = ceased.get(unit)
    return u !== undefined && u.established <= d && (end === undefined || d < end)
  }
  const childrenAt = (unit: UnitId, d: LocalDate.LocalDate) =>
    units.filter((u) => inForce(u.id, d) && parentAt(u.id, d) === unit)
  const move = (unit: UnitId, to: UnitId, d: LocalDate.LocalDate) => parents.get(unit)!.push({ from: d, parent: to })
  // Only the children in force on the date move, as `Hierarchy.decide` does. A child established later under a
  // merged or dissolved unit (recorded before the merge) keeps a parent that has ceased: a gap of the hierarchy
  // decider, reported to its owner; this reference follows the decider so that the share property tests scoring.
  switch (applied._tag) {
    case "None":
      break
    case "MergeCommunes":
    case "MergeDistricts": {
      const byIndex =
        applied._tag === "MergeCommunes" ? mergeCommunesIds(units, applied) : mergeDistrictsIds(units, applied)
      if (byIndex === undefined) break
      // The children of the merged units, as they stand on the merge date, move to the unit merged into.
      for (const m of byIndex.merged)
        for (const c of childrenAt(m, applied.date)) move(c.id, byIndex.into, applied.date)
      for (const m of byIndex.merged) ceased.set(m, applied.date)
      break
    }
    case "Move": {
      const m = moveIds(units, applied)
      if (m !== undefined) move(m.unit, m.to, applied.date)
      break
    }
    case "DissolveDistrict": {
      const d = dissolveId(units, applied)
      for (const c of childrenAt(d, applied.date)) move(c.id, province, applied.date)
      ceased.set(d, applied.date)
      break
    }
  }
  return { parentAt, inForce, childrenAt }
}

const pick = <A>(xs: ReadonlyArray<A>, i: number): A | undefined => (xs.length === 0 ? undefined : xs[i % xs.length])

const mergeCommunesIds = (units: ReadonlyArray<UnitInfo>, c: Extract<Change, { _tag: "MergeCommunes" }>) => {
  const into = pick(
    units.filter((u) => u.kind === "commune" || u.kind === "town"),
    c.into
  )
  if (into === undefined) return undefined
  const others = units.filter((u) => u.kind === into.kind && u.id !== into.id)
  if (others.length === 0) return undefined
  return { into: into.id, merged: [...new Set(c.merged.map((i) => pick(others, i)!.id))] }
}

const mergeDistrictsIds = (units: ReadonlyArray<UnitInfo>, c: Extract<Change, { _tag: "MergeDistricts" }>) => {
  const districts = units.filter((u) => u.kind === "district")
  if (districts.length < 2) return undefined
  const into = pick(districts, c.into)!
  const others = districts.filter((d) => d.id !== into.id)
  return { into: into.id, merged: [pick(others, c.merged)!.id] }
}

const moveIds = (units: ReadonlyArray<UnitInfo>, c: Extract<Change, { _tag: "Move" }>) => {
  const unit = pick(
    units.filter((u) => u.kind === "commune" || u.kind === "town"),
    c.unit
  )
  if (unit === undefined) return undefined
  const targets = units.filter((u) => (u.kind === "district" || u.kind === "province") && u.id !== unit.parent)
  return { unit: unit.id, to: pick(targets, c.to)!.id }
}

const dissolveId = (units: ReadonlyArray<UnitInfo>, c: Extract<Change, { _tag: "DissolveDistrict" }>) =>
  pick(
    units.filter((u) => u.kind === "district"),
    c.district
  )!.id

const changeCommand = (units: ReadonlyArray<UnitInfo>, change: Change, by: Actor): Hierarchy.Command | undefined => {
  switch (change._tag) {
    case "None":
      return undefined
    case "MergeCommunes":
    case "MergeDistricts": {
      const ids = change._tag === "MergeCommunes" ? mergeCommunesIds(units, change) : mergeDistrictsIds(units, change)
      if (ids === undefined || ids.merged.length === 0) return undefined
      return new Hierarchy.MergeUnits({
        into: ids.into,
        merged: [ids.merged[0]!, ...ids.merged.slice(1)],
        effective: change.date,
        by
      })
    }
    case "Move": {
      const ids = moveIds(units, change)
      return ids === undefined
        ? undefined
        : new Hierarchy.MoveUnit({ unit: ids.unit, parent: ids.to, effective: change.date, by })
    }
    case "DissolveDistrict":
      return new Hierarchy.DissolveUnit({
        unit: dissolveId(units, change),
        moveChildrenTo: province,
        effective: change.date,
        by
      })
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Histories
// ---------------------------------------------------------------------------------------------------------------

/** The raw material of an evidence value; the requirement decides which part is used. */
export interface ValueSeed {
  readonly kind: number
  readonly attained: boolean
  readonly percent: number
  readonly count: number
  readonly quantity: number
  readonly level: number
}

const valueSeed: fc.Arbitrary<ValueSeed> = fc.record({
  kind: fc.nat(),
  attained: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  percent,
  count: fc.integer({ min: 0, max: 5 }),
  quantity: fc.oneof(fc.integer({ min: 0, max: 70 }), fc.double({ min: 0, max: 70, noNaN: true })),
  level: fc.nat()
})

/** One step of a history. Indices pick among what exists when the step runs (modulo the number of candidates). */
export type Op =
  | {
      readonly _tag: "Record"
      readonly unit: number
      readonly item: number
      readonly date: LocalDate.LocalDate
      readonly value: ValueSeed
      readonly notApplicable: boolean
      readonly validFor: number | undefined
    }
  /** Evidence for every item of a unit's criteria set on one date, as a self-assessment dossier would give. */
  | {
      readonly _tag: "Dossier"
      readonly unit: number
      readonly date: LocalDate.LocalDate
      readonly values: ReadonlyArray<ValueSeed>
    }
  | {
      readonly _tag: "Correct"
      readonly chain: number
      readonly value: ValueSeed
      readonly validFor: number | undefined
    }
  | { readonly _tag: "Retract"; readonly chain: number }
  | {
      readonly _tag: "CorrectThenRetract"
      readonly chain: number
      readonly value: ValueSeed
      readonly validFor: number | undefined
    }
  | {
      readonly _tag: "Assess"
      readonly unit: number
      readonly item: number
      readonly date: LocalDate.LocalDate
      readonly verdict: "Confirmed" | Evidence.AssessedStatus
    }
  | { readonly _tag: "Withdraw"; readonly assessment: number }
  | { readonly _tag: "Grant"; readonly unit: number; readonly standard: number; readonly date: LocalDate.LocalDate }
  /** Revokes a granted standard some days after the grant (before it, the decider rejects the revocation). */
  | { readonly _tag: "Revoke"; readonly grant: number; readonly after: number }

const validFor = fc.option(fc.integer({ min: 0, max: 900 }), { nil: undefined, freq: 4 })

/** A unit index, most often one of the first few (the communes of the first district), so evidence piles up. */
const unitIndex = fc.oneof(fc.nat(2), fc.nat())

export const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      _tag: fc.constant("Record" as const),
      unit: unitIndex,
      item: fc.nat(),
      date,
      value: valueSeed,
      notApplicable: fc.oneof(
        { weight: 4, arbitrary: fc.constant(false) },
        { weight: 1, arbitrary: fc.constant(true) }
      ),
      validFor
    })
  },
  {
    weight: 4,
    arbitrary: fc.record({
      _tag: fc.constant("Dossier" as const),
      unit: unitIndex,
      date,
      values: fc.array(valueSeed, { minLength: 1, maxLength: 8 })
    })
  },
  {
    weight: 3,
    arbitrary: fc.record({ _tag: fc.constant("Correct" as const), chain: fc.nat(), value: valueSeed, validFor })
  },
  { weight: 2, arbitrary: fc.record({ _tag: fc.constant("Retract" as const), chain: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      _tag: fc.constant("CorrectThenRetract" as const),
      chain: fc.nat(),
      value: valueSeed,
      validFor
    })
  },
  {
    weight: 2,
    arbitrary: fc.record({
      _tag: fc.constant("Assess" as const),
      unit: unitIndex,
      item: fc.nat(),
      date,
      verdict: fc.constantFrom("Confirmed" as const, "Met" as const, "NotMet" as const, "NotApplicable" as const)
    })
  },
  { weight: 2, arbitrary: fc.record({ _tag: fc.constant("Withdraw" as const), assessment: fc.nat() }) },
  {
    weight: 4,
    arbitrary: fc.record({ _tag: fc.constant("Grant" as const), unit: fc.nat(), standard: fc.nat(), date })
  },
  {
    weight: 2,
    arbitrary: fc.record({
      _tag: fc.constant("Revoke" as const),
      grant: fc.nat(),
      after: fc.oneof(fc.constant(0), fc.integer({ min: -30, max: 900 }))
    })
  }
)

/** Everything a history is generated from. */
export interface WorldPlan {
  readonly catalogs: ReadonlyArray<Catalog.Catalog>
  readonly hierarchy: HierarchyPlan
  readonly ops: ReadonlyArray<Op>
  /** Where, among the steps, the restructuring, the reclassification and the second catalog versions are recorded. */
  readonly changeAt: number
  readonly reclassifyAt: number
  readonly publishAt: number
  /** Gaps between recorded times, in seconds (0: the same instant as the step before). */
  readonly gaps: ReadonlyArray<number>
}

/** A generated history and what it was generated from. */
export interface World {
  readonly plan: WorldPlan
  readonly catalogs: ReadonlyArray<Catalog.Catalog>
  readonly units: ReadonlyArray<UnitInfo>
  readonly history: ReadonlyArray<Recorded<DomainEvent>>
  /** The restructuring, if the hierarchy decider accepted it. */
  readonly change: Change
  readonly reference: ReferenceHierarchy
  /** History indices of each correction that is retracted by the next event. */
  readonly pairs: ReadonlyArray<number>
  /** Dates worth asking about: the key dates, the days around the restructuring and the reclassification. */
  readonly dates: ReadonlyArray<LocalDate.LocalDate>
  /** How many generated commands the deciders rejected (skipped). */
  readonly rejected: number
  /** The evidence aggregates' own states, by unit (for cross-checks against the ledger). */
  readonly evidence: ReadonlyMap<UnitId, Evidence.State>
}

/** The first recorded time: 2027-01-01T00:00:00Z. */
export const T0 = Date.UTC(2027, 0, 1)

const system = new Actor({ id: "gen", name: "Sinh dữ liệu / Generator", role: "system" })
const admin = new Actor({ id: "admin", name: "Quản trị / Admin", role: "admin" })
const provinceOfficer = new Actor({
  id: "province",
  name: "Cán bộ tỉnh / Province officer",
  role: "province",
  unit: province
})
const central = new Actor({ id: "central", name: "Hội đồng Trung ương / Central council", role: "central" })

/** The version of a criteria set in force for a unit on a date, as the command handler computes it. */
export const catalogFor = (
  ledger: Ledger.Ledger,
  id: Catalog.CatalogId,
  unit: UnitId,
  on: LocalDate.LocalDate
): Catalog.Catalog | undefined =>
  CatalogSet.versionFor(ledger.catalogs.get(id) ?? [], id, CatalogSet.provinceOf(ledger.hierarchy, unit, on), on)

/** The requirement of an item for a unit on a date (its class then), or undefined when no catalog applies. */
const requirementOn = (
  ledger: Ledger.Ledger,
  id: Catalog.CatalogId,
  unit: UnitId,
  code: string,
  on: LocalDate.LocalDate
): { readonly item: Catalog.Item; readonly requirement: Requirement } | undefined => {
  const c = catalogFor(ledger, id, unit, on)
  const item = c === undefined ? undefined : Catalog.findItem(c, code)
  if (c === undefined || item === undefined) return undefined
  const scheme = c.classification?.scheme
  const cls = scheme === undefined ? undefined : Hierarchy.classAt(ledger.hierarchy, unit, scheme, on)
  return { item, requirement: Catalog.requirementFor(item, cls) }
}

/** A value that fits a requirement (per `EvidenceValue.acceptedBy`), or undefined for a computed requirement. */
export const valueFor = (requirement: Requirement, seed: ValueSeed): EvidenceValue.EvidenceValue | undefined => {
  const accepted = EvidenceValue.acceptedBy(requirement)
  const kind = pick(accepted, seed.kind)
  switch (kind) {
    case undefined:
      return undefined
    case "Attained":
      return new EvidenceValue.Attained({ attained: seed.attained })
    case "Percent":
      return new EvidenceValue.Percent({ value: seed.percent })
    case "Count":
      return new EvidenceValue.Count({ value: seed.count })
    case "Quantity":
      return new EvidenceValue.Quantity({ value: seed.quantity })
    case "Level": {
      const scale = requirement._tag === "MinClass" ? requirement.scale : SCALE
      return new EvidenceValue.Level({ value: pick(scale, seed.level)! })
    }
    case "NotApplicable":
      return new EvidenceValue.NotApplicable({ reason: "không có quy hoạch / not planned" })
  }
}

/**
 * Runs a plan through the deciders, recording what they accept. Recorded times never go backwards; events decided
 * together share one recorded time, as one append does.
 */
export const build = (plan: WorldPlan): World => {
  const units = unitsOf(plan.hierarchy)
  const ledger = Ledger.make()
  const history: Array<Recorded<DomainEvent>> = []
  const streamVersions = new Map<string, number>()
  const evidence = new Map<UnitId, Evidence.State>()
  const chains: Array<{ readonly unit: UnitId; readonly id: string }> = []
  const assessments: Array<{ readonly unit: UnitId; readonly id: string }> = []
  const pairs: Array<number> = []
  const grants: Array<Recognition.GrantRecognition> = []
  let recordedAt = T0
  let step = 0
  let rejected = 0
  let fresh = 0
  // Assigned inside `runStep`; the cast keeps the compiler from narrowing it to its initial value.
  let change = { _tag: "None" } as Change

  const emit = (stream: string, events: ReadonlyArray<DomainEvent>) => {
    for (const event of events) {
      const streamVersion = (streamVersions.get(stream) ?? 0) + 1
      streamVersions.set(stream, streamVersion)
      const r: Recorded<DomainEvent> = { position: history.length + 1, stream, streamVersion, recordedAt, event }
      history.push(r)
      Ledger.apply(ledger, r)
      if (
        event._tag === "EvidenceRecorded" ||
        event._tag === "EvidenceCorrected" ||
        event._tag === "EvidenceRetracted" ||
        event._tag === "IndicatorAssessed" ||
        event._tag === "AssessmentWithdrawn"
      ) {
        evidence.set(event.unit, Evidence.evolve(evidence.get(event.unit) ?? Evidence.initial, event))
      }
    }
  }
  /** Emits the events of an accepted decision; counts a rejection. Returns whether it was accepted. */
  const accept = <E extends DomainEvent>(
    stream: string,
    decided: Either.Either<ReadonlyArray<E>, unknown>
  ): boolean => {
    if (Either.isLeft(decided)) {
      rejected++
      return false
    }
    emit(stream, decided.right)
    return true
  }
  const tick = () => {
    recordedAt += (plan.gaps[step % Math.max(plan.gaps.length, 1)] ?? 1) * 1000
    step++
  }
  const evidenceContext = (): Evidence.Context => ({
    hierarchy: ledger.hierarchy,
    catalogFor: (c, unit, on) => catalogFor(ledger, c, unit, on),
    assessmentPolicy: defaultAssessmentPolicy
  })
  const published = (c: { readonly id: string; readonly version: string }) =>
    ledger.catalogs.get(c.id)?.some((v) => v.version === c.version) ?? false
  const recognitionContext = (): Recognition.Context => ({
    hierarchy: ledger.hierarchy,
    holds: (u, s, d) => Ledger.holds(ledger, u, s, d),
    published
  })
  const decideEvidence = (command: Evidence.Command) =>
    accept(
      Evidence.streamId(command.unit),
      Evidence.decide(command, evidence.get(command.unit) ?? Evidence.initial, evidenceContext())
    )
  const catalogIdFor = (unit: UnitId, on: LocalDate.LocalDate) =>
    catalogIds.find((id) => {
      const c = catalogFor(ledger, id, unit, on)
      return c?.appliesTo.includes(units.find((u) => u.id === unit)!.kind) === true
    })
  const publish = (c: Catalog.Catalog) =>
    accept(
      CatalogSet.streamId(c.id),
      CatalogSet.decide(new CatalogSet.PublishCatalog({ catalog: c, by: admin }), {
        versions: new Map((ledger.catalogs.get(c.id) ?? []).map((v) => [v.version, v]))
      })
    )
  const hierarchy = (command: Hierarchy.Command) =>
    accept(Hierarchy.streamId, Hierarchy.decide(command, ledger.hierarchy))
  const headOf = (i: number) => {
    const c = pick(chains, i)
    const chain = c === undefined ? undefined : evidence.get(c.unit)?.chains.get(c.id)
    const head = chain === undefined ? undefined : Evidence.head(chain)
    return chain === undefined || head === undefined ? undefined : { chain, head }
  }
  const correct = (i: number, seed: ValueSeed, days: number | undefined) => {
    const found = headOf(i)
    if (found === undefined) return undefined
    const { chain, head } = found
    const r = requirementOn(ledger, chain.catalog, chain.unit, chain.code, chain.effective)
    const value = r === undefined ? undefined : valueFor(r.requirement, seed)
    if (value === undefined) return undefined
    const entry = `e${++fresh}`
    const ok = decideEvidence(
      new Evidence.CorrectEvidence({
        entry,
        unit: chain.unit,
        corrects: head.entry,
        value,
        ...(days === undefined ? {} : { validUntil: LocalDate.addDays(chain.effective, days) }),
        sources: [],
        reason: "đính chính / correction",
        by: system
      })
    )
    return ok ? { unit: chain.unit, entry } : undefined
  }

  const record = (
    u: UnitInfo,
    on: LocalDate.LocalDate,
    choose: (items: ReadonlyArray<Catalog.Item>) => Catalog.Item | undefined,
    seed: ValueSeed,
    notApplicable: boolean,
    days: number | undefined
  ) => {
    const id = catalogIdFor(u.id, on)
    const c = id === undefined ? undefined : catalogFor(ledger, id, u.id, on)
    const item = c === undefined ? undefined : choose([...c.indicators, ...c.conditions])
    if (id === undefined || item === undefined) {
      rejected++
      return
    }
    const r = requirementOn(ledger, id, u.id, item.code, on)!
    const value =
      notApplicable && item.appliesOnlyIf !== undefined
        ? new EvidenceValue.NotApplicable({ reason: "không có quy hoạch / not planned" })
        : valueFor(r.requirement, seed)
    if (value === undefined) {
      rejected++
      return
    }
    const entry = `e${++fresh}`
    const ok = decideEvidence(
      new Evidence.RecordEvidence({
        entry,
        unit: u.id,
        catalog: id,
        code: item.code,
        value,
        effective: on,
        ...(days === undefined ? {} : { validUntil: LocalDate.addDays(on, days) }),
        sources: [new Evidence.DocumentRef({ title: "Báo cáo / report" })],
        by: system
      })
    )
    if (ok) chains.push({ unit: u.id, id: entry })
  }

  const runStep = (i: number) => {
    if (i === plan.publishAt) {
      for (const c of plan.catalogs.filter((c) => c.version !== "1")) publish(c)
      tick()
    }
    if (i === plan.changeAt) {
      const command = changeCommand(units, plan.hierarchy.change, admin)
      if (command !== undefined && hierarchy(command)) change = plan.hierarchy.change
      tick()
    }
    const rc = plan.hierarchy.reclassify
    if (i === plan.reclassifyAt && rc !== undefined) {
      const u = pick(units, rc.unit)!
      hierarchy(
        new Hierarchy.ClassifyUnit({ unit: u.id, scheme: "region", code: rc.region, effective: rc.date, by: admin })
      )
      tick()
    }
    const o = plan.ops[i]
    if (o === undefined) return
    switch (o._tag) {
      case "Record":
        record(pick(units, o.unit)!, o.date, (items) => pick(items, o.item), o.value, o.notApplicable, o.validFor)
        break
      case "Dossier": {
        const u = pick(units, o.unit)!
        const id = catalogIdFor(u.id, o.date)
        const c = id === undefined ? undefined : catalogFor(ledger, id, u.id, o.date)
        const items = c === undefined ? [] : [...c.indicators, ...c.conditions]
        items.forEach((item, k) => {
          const seed = pick(o.values, k)!
          record(u, o.date, () => item, seed, seed.kind % 7 === 0, undefined)
        })
        break
      }
      case "Correct":
        if (correct(o.chain, o.value, o.validFor) === undefined) rejected++
        break
      case "Retract":
      case "CorrectThenRetract": {
        const at = history.length
        const corrected = o._tag === "CorrectThenRetract" ? correct(o.chain, o.value, o.validFor) : undefined
        if (o._tag === "CorrectThenRetract" && corrected === undefined) {
          rejected++
          break
        }
        if (corrected !== undefined) tick()
        const found = headOf(o.chain)
        if (found === undefined) {
          rejected++
          break
        }
        const ok = decideEvidence(
          new Evidence.RetractEvidence({
            unit: found.chain.unit,
            entry: found.head.entry,
            reason: "nhập nhầm / entered by mistake",
            by: system
          })
        )
        if (ok && corrected !== undefined) pairs.push(at)
        break
      }
      case "Assess": {
        const u = pick(units, o.unit)!
        const id = catalogIdFor(u.id, o.date)
        const c = id === undefined ? undefined : catalogFor(ledger, id, u.id, o.date)
        const item = c === undefined ? undefined : pick([...c.indicators, ...c.conditions], o.item)
        if (id === undefined || item === undefined) {
          rejected++
          break
        }
        const assessment = `a${++fresh}`
        const ok = decideEvidence(
          new Evidence.AssessIndicator({
            assessment,
            unit: u.id,
            catalog: id,
            code: item.code,
            verdict: o.verdict === "Confirmed" ? { _tag: "Confirmed" } : { _tag: "Overridden", status: o.verdict },
            reason: "thẩm định / appraisal",
            effective: o.date,
            by: u.kind === "province" ? central : provinceOfficer
          })
        )
        if (ok) assessments.push({ unit: u.id, id: assessment })
        break
      }
      case "Withdraw": {
        const a = pick(assessments, o.assessment)
        if (a === undefined) {
          rejected++
          break
        }
        const kind = units.find((u) => u.id === a.unit)!.kind
        decideEvidence(
          new Evidence.WithdrawAssessment({
            unit: a.unit,
            assessment: a.id,
            reason: "rút lại / withdrawn",
            by: kind === "province" ? central : provinceOfficer
          })
        )
        break
      }
      case "Grant":
      case "Revoke": {
        const n = ++fresh
        let command: Recognition.Command
        if (o._tag === "Grant") {
          const u = pick(units, o.unit)!
          command = new Recognition.GrantRecognition({
            recognition: `r${n}`,
            unit: u.id,
            standard: pick(standards, o.standard)!,
            catalog: { id: u.kind === "district" || u.kind === "province" ? districtSet : communeSet, version: "1" },
            decision: new Recognition.Decision({ number: `${n}/QĐ-UBND`, date: o.date }),
            effective: o.date,
            by: provinceOfficer
          })
        } else {
          const g = pick(grants, o.grant)
          if (g === undefined) {
            rejected++
            break
          }
          // The date `after` days from the grant, kept within 2020–2026 (the middle of the three, in date order).
          const effective = [FIRST, LocalDate.addDays(g.effective, o.after), LAST].sort()[1]!
          command = new Recognition.RevokeRecognition({
            unit: g.unit,
            standard: g.standard,
            decision: new Recognition.Decision({ number: `${n}/QĐ-UBND`, date: effective }),
            reason: "không còn đạt / no longer meets it",
            effective,
            by: provinceOfficer
          })
        }
        const ok = accept(
          Recognition.streamId(command.unit),
          Recognition.decide(
            command,
            ledger.recognitions.get(command.unit) ?? Recognition.initial,
            recognitionContext()
          )
        )
        if (ok && command._tag === "GrantRecognition") grants.push(command)
        break
      }
    }
    tick()
  }

  // The first versions of the criteria sets, then the hierarchy as first established.
  for (const c of plan.catalogs.filter((c) => c.version === "1")) publish(c)
  tick()
  const p = plan.hierarchy
  // Parents before children: the province, the districts, then communes and towns.
  for (const u of [...units].reverse()) {
    hierarchy(
      new Hierarchy.EstablishUnit({
        unit: u.id,
        kind: u.kind,
        name: name(u.id),
        ...(u.parent === undefined ? {} : { parent: u.parent }),
        classes: u.region === undefined ? {} : { region: u.region },
        effective: u.established,
        by: admin
      })
    )
  }
  tick()
  const steps = Math.max(plan.ops.length, plan.changeAt + 1, plan.reclassifyAt + 1, plan.publishAt + 1)
  for (let i = 0; i < steps; i++) runStep(i)

  const dates = new Set<LocalDate.LocalDate>(keyDates)
  const around = (d: LocalDate.LocalDate) => [LocalDate.addDays(d, -1), d]
  if (change._tag !== "None") for (const d of around(change.date)) dates.add(d)
  if (p.reclassify !== undefined) for (const d of around(p.reclassify.date)) dates.add(d)
  for (const c of plan.catalogs) dates.add(c.effective.from)
  return {
    plan,
    catalogs: plan.catalogs,
    units,
    history,
    change,
    reference: referenceHierarchy(units, change),
    pairs,
    dates: [...dates].sort(),
    rejected,
    evidence
  }
}

/** A plan: catalogs, a hierarchy, and up to `maxOps` steps. */
export const worldPlan = (options?: { readonly maxOps?: number }): fc.Arbitrary<WorldPlan> =>
  fc.record({
    catalogs,
    hierarchy: hierarchyPlan,
    ops: fc.array(op, { minLength: 1, maxLength: options?.maxOps ?? 40, size: "max" }),
    changeAt: fc.nat({ max: options?.maxOps ?? 40 }),
    reclassifyAt: fc.nat({ max: options?.maxOps ?? 40 }),
    publishAt: fc.nat({ max: options?.maxOps ?? 40 }),
    gaps: fc.array(fc.constantFrom(0, 1, 1, 2, 60), { minLength: 1, maxLength: 8 })
  })

/** A generated history, with the catalogs, hierarchy and plan it came from. */
export const world = (options?: { readonly maxOps?: number }): fc.Arbitrary<World> => worldPlan(options).map(build)

// ---------------------------------------------------------------------------------------------------------------
// Recognition dossiers
// ---------------------------------------------------------------------------------------------------------------

/** The steps a generated dossier may take after it is opened, in order; `return` sends it back once. */
const dossierSteps = [
  "selfAssess",
  "return",
  "selfAssess",
  "consult",
  "verify",
  "appraise",
  "recognise",
  "announce",
  "revoke"
] as const

/**
 * A recognition dossier to add to a world: for a unit (picked among the communes, towns and districts), opened on a
 * date, taking its first `steps` steps `every` days apart; when `returned`, it is sent back once after its first
 * self-assessment.
 */
export interface DossierPlan {
  readonly unit: number
  readonly opened: LocalDate.LocalDate
  readonly steps: number
  readonly every: number
  readonly returned: boolean
}

export const dossierPlan: fc.Arbitrary<DossierPlan> = fc.record({
  unit: fc.nat(),
  opened: date,
  steps: fc.nat({ max: dossierSteps.length }),
  every: fc.constantFrom(0, 1, 30, 200),
  returned: fc.boolean()
})

const officer = (role: Role) => new Actor({ id: `${role}-officer`, name: "Cán bộ / Officer", role })

/**
 * The world with recognition dossiers recorded after its history. Each step is decided by `Dossier.decide`, by the
 * role the default workflow names for it (the parent's role as of the step's date), and recorded together with the
 * recognition it grants or revokes, as `Commands.dossier` does; the first step the deciders reject ends a dossier.
 */
export const withDossiers = (world: World, plans: ReadonlyArray<DossierPlan>): World => {
  const ledger = Ledger.fold(world.history)
  const history = [...world.history]
  const streamVersions = new Map<string, number>()
  for (const r of history) streamVersions.set(r.stream, r.streamVersion)
  let recordedAt = history.at(-1)?.recordedAt ?? T0
  const emit = (stream: string, events: ReadonlyArray<DomainEvent>) => {
    for (const event of events) {
      const streamVersion = (streamVersions.get(stream) ?? 0) + 1
      streamVersions.set(stream, streamVersion)
      const r: Recorded<DomainEvent> = { position: history.length + 1, stream, streamVersion, recordedAt, event }
      history.push(r)
      Ledger.apply(ledger, r)
    }
  }
  const candidates = world.units.filter((u) => u.kind !== "province")
  plans.forEach((plan, k) => {
    const u = pick(candidates, plan.unit)
    if (u === undefined) return
    const dossier = `dossier-${k + 1}`
    const id = catalogIds.find((c) => catalogFor(ledger, c, u.id, plan.opened)?.appliesTo.includes(u.kind))
    const catalog = id === undefined ? undefined : catalogFor(ledger, id, u.id, plan.opened)
    if (id === undefined || catalog === undefined) return
    let state = Dossier.initial
    let on = plan.opened
    const by = (step: Dossier.Step): Actor => {
      const role = Dossier.defaultWorkflowPolicy[u.kind]?.[step]?.[0] ?? "admin"
      if (role !== "parent") return officer(role)
      const parent = Hierarchy.parentAt(ledger.hierarchy, u.id, on)
      return officer((parent === undefined ? "admin" : ledger.hierarchy.units.get(parent)!.kind) as Role)
    }
    const take = (command: Dossier.Command, scorecard?: Dossier.Context["scorecard"]): boolean => {
      const decided = Dossier.decide(command, state, {
        hierarchy: ledger.hierarchy,
        policy: Dossier.defaultWorkflowPolicy,
        catalog: (ref) => ledger.catalogs.get(ref.id)?.find((c) => c.version === ref.version),
        unitDossiers: [...ledger.dossiers.values()].filter((d) => d.opened?.unit === u.id),
        scorecard
      })
      if (Either.isLeft(decided)) return false
      const recognitions: Array<Recognition.Event> = []
      for (const e of decided.right) {
        if (e._tag !== "DossierRecognised" && e._tag !== "DossierRevoked") continue
        const fields = {
          unit: u.id,
          standard: catalog.standard,
          decision: e.decision,
          effective: e.effective,
          by: e.by
        }
        const rc =
          e._tag === "DossierRecognised"
            ? new Recognition.GrantRecognition({
                ...fields,
                recognition: e.recognition,
                catalog: { id, version: catalog.version }
              })
            : new Recognition.RevokeRecognition({ ...fields, reason: e.reason })
        const r = Recognition.decide(rc, ledger.recognitions.get(u.id) ?? Recognition.initial, {
          hierarchy: ledger.hierarchy,
          holds: (x, s, d) => Ledger.holds(ledger, x, s, d),
          published: (c) => ledger.catalogs.get(c.id)?.some((v) => v.version === c.version) ?? false
        })
        if (Either.isLeft(r)) return false
        recognitions.push(...r.right)
      }
      recordedAt += 1000
      emit(Dossier.streamId(dossier), decided.right)
      for (const e of decided.right) {
        if (e._tag !== "DossierOpened") continue
        const { _tag, ...fields } = e
        emit(Dossier.indexStreamId(u.id), [new Dossier.DossierListed(fields)])
      }
      emit(Recognition.streamId(u.id), recognitions)
      state = decided.right.reduce(Dossier.evolve, state)
      return true
    }
    const header = () => ({ dossier, effective: on })
    const report = new Evidence.DocumentRef({ title: "Báo cáo / report" })
    const decision = () => new Recognition.Decision({ number: `${dossier}/QĐ`, date: on })
    const opened = take(
      new Dossier.OpenDossier({
        ...header(),
        unit: u.id,
        standard: catalog.standard,
        catalog: { id, version: catalog.version },
        by: by("open")
      })
    )
    if (!opened) return
    const steps = dossierSteps.filter((_, i) => plan.returned || (i !== 1 && i !== 2)).slice(0, plan.steps)
    for (const step of steps) {
      on = [LocalDate.addDays(on, plan.every), LAST].sort()[0]!
      let command: Dossier.Command
      let scorecard: Dossier.Context["scorecard"]
      switch (step) {
        case "selfAssess": {
          // As Commands.dossier does: the scorecard from the record as it stands, frozen as known now.
          const card = Scorecard.make(ledger, { unit: u.id, catalog: id, asOf: on, version: catalog.version })
          if (Either.isLeft(card)) return
          scorecard = Either.right(Dossier.freeze(card.right, recordedAt))
          command = new Dossier.SubmitSelfAssessment({ ...header(), by: by("selfAssess") })
          break
        }
        case "return":
          command = new Dossier.ReturnDossier({
            ...header(),
            reasons: ["thiếu minh chứng / evidence missing"],
            by: by("verify")
          })
          break
        case "consult":
          command = new Dossier.RecordConsultation({ ...header(), satisfaction: 95, by: by("consult") })
          break
        case "verify":
          command = new Dossier.VerifyDossier({ ...header(), report, by: by("verify") })
          break
        case "appraise":
          command = new Dossier.AppraiseDossier({
            ...header(),
            council: "Hội đồng / council",
            report,
            by: by("appraise")
          })
          break
        case "recognise":
          command = new Dossier.RecogniseDossier({
            ...header(),
            recognition: `${dossier}-r`,
            decision: decision(),
            ...(state.selfAssessment?.scorecard.standardMet ? {} : { override: { reason: "đặc cách / exception" } }),
            by: by("recognise")
          })
          break
        case "announce":
          command = new Dossier.AnnounceRecognition({ ...header(), by: by("announce") })
          break
        case "revoke":
          command = new Dossier.RevokeDossier({
            ...header(),
            decision: decision(),
            reason: "không duy trì / not maintained",
            by: by("revoke")
          })
          break
      }
      if (!take(command, scorecard)) return
    }
  })
  return { ...world, history }
}

// ---------------------------------------------------------------------------------------------------------------
// Example histories recorded through the commands and the in-memory store
// ---------------------------------------------------------------------------------------------------------------

/** Every event in the store, decoded, in record order. */
export const recorded: Effect.Effect<
  ReadonlyArray<Recorded<DomainEvent>>,
  EventStore.EventStoreError,
  EventStore.EventStore
> = Effect.flatMap(EventStore.EventStore, (store) => Stream.runCollect(store.readAll())).pipe(
  Effect.map((all) => Chunk.toReadonlyArray(all).map((r) => Either.getOrThrow(Events.decode(r))))
)

/** The ledger of every event in the store. */
export const recordedLedger = Effect.map(recorded, (history) => Ledger.fold(history))

/** Establishes a unit (from 2020-01-01 unless told), by the administrator. */
export const establish = (
  id: string,
  kind: UnitKind,
  parent?: string,
  options?: { readonly effective?: string; readonly region?: string }
) =>
  Commands.changeHierarchy(
    new Hierarchy.EstablishUnit({
      unit: unitId(id),
      kind,
      name: name(id),
      ...(parent === undefined ? {} : { parent: unitId(parent) }),
      classes: options?.region === undefined ? {} : { region: options.region },
      effective: LocalDate.unsafeMake(options?.effective ?? "2020-01-01"),
      by: admin
    })
  )

/** Makes a commitment about a unit, answered for by an agency, through the commitment command. */
export const makeCommitment = (o: {
  readonly commitment: string
  readonly unit: string
  readonly agency: string
  readonly due: string
  readonly made: string
  readonly madeFor?: string
}) =>
  Commands.commitment(
    new Commitment.MakeCommitment({
      commitment: o.commitment,
      maker: new Commitment.Party({ name: `UBND ${o.unit}`, unit: unitId(o.unit) }),
      to: new Commitment.Party({ name: "UBND tỉnh / province" }),
      subject: new Commitment.Subject({ unit: unitId(o.unit) }),
      description: `Cam kết ${o.commitment} / commitment ${o.commitment}`,
      due: LocalDate.unsafeMake(o.due),
      responsible: new Commitment.Responsible({ agency: o.agency }),
      ...(o.madeFor === undefined ? {} : { madeFor: o.madeFor }),
      effective: LocalDate.unsafeMake(o.made),
      by: central
    })
  )

/**
 * The steps of a recognition dossier through `Commands.dossier`: taken by the unit's own officer (`by`), its
 * reviewer (the level above: verifies, returns, announces) and its approver (appraises, recognises, revokes). The
 * self-assessment freezes the scorecard the record gives; the recognition goes ahead with a recorded override whether
 * or not it meets the standard.
 */
export const exampleDossier = (o: {
  readonly dossier: string
  readonly unit: string
  readonly catalog: Catalog.Catalog
  readonly by: Actor
  readonly reviewer: Actor
  readonly approver: Actor
}) => {
  const header = (effective: string) => ({ dossier: o.dossier, effective: LocalDate.unsafeMake(effective) })
  const catalog = { id: o.catalog.id, version: o.catalog.version }
  const report = new Evidence.DocumentRef({ title: "Biên bản / minutes" })
  const decision = (effective: string) =>
    new Recognition.Decision({ number: `${o.dossier}/QĐ-UBND`, date: LocalDate.unsafeMake(effective) })
  return {
    open: (d: string) =>
      Commands.dossier(
        new Dossier.OpenDossier({
          ...header(d),
          unit: unitId(o.unit),
          standard: o.catalog.standard,
          catalog,
          by: o.by
        })
      ),
    selfAssess: (d: string) => Commands.dossier(new Dossier.SubmitSelfAssessment({ ...header(d), by: o.by })),
    consult: (d: string) =>
      Commands.dossier(new Dossier.RecordConsultation({ ...header(d), satisfaction: 96, by: o.by })),
    verify: (d: string) => Commands.dossier(new Dossier.VerifyDossier({ ...header(d), report, by: o.reviewer })),
    giveBack: (d: string) =>
      Commands.dossier(
        new Dossier.ReturnDossier({ ...header(d), reasons: ["Thiếu minh chứng / evidence missing"], by: o.reviewer })
      ),
    appraise: (d: string) =>
      Commands.dossier(
        new Dossier.AppraiseDossier({ ...header(d), council: "Hội đồng thẩm định / council", report, by: o.approver })
      ),
    recognise: (d: string) =>
      Commands.dossier(
        new Dossier.RecogniseDossier({
          ...header(d),
          recognition: `${o.dossier}:r`,
          decision: decision(d),
          override: { reason: "Quyết định trong ví dụ / the example's decision" },
          by: o.approver
        })
      ),
    announce: (d: string) => Commands.dossier(new Dossier.AnnounceRecognition({ ...header(d), by: o.reviewer })),
    revoke: (d: string) =>
      Commands.dossier(
        new Dossier.RevokeDossier({
          ...header(d),
          decision: decision(d),
          reason: "Không duy trì / not maintained",
          by: o.approver
        })
      )
  }
}
