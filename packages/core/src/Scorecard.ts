/**
 * Scorecards (bảng đánh giá): how a unit stands against a criteria set as of a date.
 *
 * A scorecard lists every criterion and indicator with its status, the evidence in force and any assessment, the
 * entry conditions, and the totals (met / applicable / total). It is a pure function of a {@link Ledger.Ledger}:
 * fold the events recorded by a time (`knownAt`) and ask as of an effective date (`asOf`).
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import type { Bilingual } from "./Bilingual.js"
import * as Catalog from "./Catalog.js"
import * as CatalogSet from "./CatalogSet.js"
import * as Evidence from "./Evidence.js"
import * as Hierarchy from "./Hierarchy.js"
import * as Ledger from "./Ledger.js"
import type * as LocalDate from "./LocalDate.js"
import type { Provenance } from "./Provenance.js"
import type * as Recognition from "./Recognition.js"
import * as Requirement from "./Requirement.js"
import * as Scoring from "./Scoring.js"
import type { UnitId } from "./Unit.js"

/**
 * The evidence in force for an item.
 *
 * @since 0.1.0
 */
export interface EvidenceInForce {
  readonly entry: Evidence.Entry
  /** The first entry of its chain; differs from `entry.entry` when the value was corrected. */
  readonly chain: string
  readonly recordedAt: number
}

/**
 * The assessment in force for an item, and whether it decides the status (evidence effective later than the
 * assessment takes precedence again).
 *
 * @since 0.1.0
 */
export interface AssessmentInForce {
  readonly event: Evidence.IndicatorAssessed
  readonly recordedAt: number
  readonly applied: boolean
}

/**
 * One indicator or condition on a scorecard.
 *
 * @since 0.1.0
 */
export interface ItemScore {
  readonly code: string
  readonly name: Bilingual
  readonly responsible: Catalog.Responsibility | undefined
  readonly provenance: Provenance
  /** The requirement for this unit's class, and as a sentence. */
  readonly requirement: Requirement.Requirement
  readonly requirementText: string
  readonly status: Scoring.Status
  /** The status computed from evidence, before any assessment. */
  readonly computed: Scoring.Evaluation
  readonly evidence: EvidenceInForce | undefined
  readonly assessment: AssessmentInForce | undefined
}

/** @since 0.1.0 */
export interface CriterionScore {
  readonly code: string
  readonly name: Bilingual
  readonly provenance: Provenance
  readonly status: Scoring.Status
  readonly indicators: ReadonlyArray<ItemScore>
  readonly met: number
  readonly applicable: number
}

/** @since 0.1.0 */
export interface Totals {
  readonly total: number
  readonly applicable: number
  readonly met: number
  readonly notMet: number
  readonly noData: number
  readonly undetermined: number
  readonly notApplicable: number
}

/**
 * @since 0.1.0
 */
export interface Scorecard {
  readonly unit: Hierarchy.UnitView
  readonly catalog: {
    readonly id: Catalog.CatalogId
    readonly version: string
    readonly name: Bilingual
    readonly standard: string
    readonly provenance: Provenance
    readonly illustrative: boolean
  }
  readonly asOf: LocalDate.LocalDate
  /** The class (region, commune group) used for thresholds, if the catalog classes units. */
  readonly unitClass: string | undefined
  readonly criteria: ReadonlyArray<CriterionScore>
  readonly conditions: ReadonlyArray<ItemScore>
  readonly indicators: Totals
  readonly criteriaMet: number
  readonly standardMet: boolean
  /** Applicable indicators not met (not met, no data, undetermined), in catalog order. */
  readonly remaining: ReadonlyArray<ItemScore>
}

/**
 * Why a scorecard could not be made.
 *
 * @since 0.1.0
 */
export type ScorecardError = Hierarchy.UnknownUnit | Hierarchy.UnitNotInForce | Evidence.NoCatalogForUnit

/** @since 0.1.0 */
export interface Query {
  readonly unit: UnitId
  readonly catalog: Catalog.CatalogId
  readonly asOf: LocalDate.LocalDate
  /** A version to score against instead of the one in force on `asOf`. */
  readonly version?: string
  readonly scoring?: Scoring.Options
  readonly mergePolicy?: Recognition.MergePolicy
}

/**
 * The scorecard of a unit against a criteria set as of a date.
 *
 * @since 0.1.0
 */
export const make = (ledger: Ledger.Ledger, query: Query): Either.Either<Scorecard, ScorecardError> => {
  const { unit, asOf } = query
  const hierarchy = Ledger.hierarchy(ledger)
  const history = hierarchy.units.get(unit)
  if (history === undefined) return Either.left(new Hierarchy.UnknownUnit({ unit }))
  const view = Hierarchy.unitAt(hierarchy, unit, asOf)
  if (view === undefined) return Either.left(new Hierarchy.UnitNotInForce({ unit, date: asOf }))
  const versions = ledger.catalogs.get(query.catalog) ?? []
  const catalog =
    query.version !== undefined
      ? versions.find((c) => c.version === query.version)
      : CatalogSet.versionFor(versions, query.catalog, CatalogSet.provinceOf(hierarchy, unit, asOf), asOf)
  if (catalog === undefined || !catalog.appliesTo.includes(view.kind)) {
    return Either.left(new Evidence.NoCatalogForUnit({ unit, catalog: query.catalog, date: asOf }))
  }
  return Either.right(score(ledger, view, catalog, query))
}

const score = (ledger: Ledger.Ledger, unit: Hierarchy.UnitView, catalog: Catalog.Catalog, query: Query): Scorecard => {
  const { asOf } = query
  const hierarchy = Ledger.hierarchy(ledger)
  const scheme = catalog.classification?.scheme
  const unitClass = scheme === undefined ? undefined : Hierarchy.classAt(hierarchy, unit.id, scheme, asOf)
  const items = ledger.evidence.get(unit.id)?.items.get(catalog.id)
  let children: ReadonlyArray<Hierarchy.UnitView> | undefined
  const computed: Scoring.Computed = {
    share: (kinds, standards) => {
      children ??= Hierarchy.childrenAt(hierarchy, unit.id, asOf)
      let total = 0
      let count = 0
      for (const c of children) {
        if (!kinds.includes(c.kind)) continue
        total++
        if (standards.some((s) => Ledger.holds(ledger, c.id, s, asOf, query.mergePolicy))) count++
      }
      return { count, total }
    },
    holds: (standards) => standards.some((s) => Ledger.holds(ledger, unit.id, s, asOf, query.mergePolicy))
  }
  const scoreItem = (item: Catalog.Item): ItemScore => {
    const requirement = Catalog.requirementFor(item, unitClass)
    const record = items?.get(item.code)
    const inForce = Requirement.isComputed(requirement) ? undefined : Ledger.evidenceAt(record, asOf)
    let evaluation = Scoring.evaluate(requirement, inForce?.entry?.value, computed, query.scoring)
    if (inForce?.expired) evaluation = { status: "NoData", reason: "Expired" }
    const a = Ledger.assessmentAt(record, asOf)
    const applied = a !== undefined && (inForce?.chain === undefined || a.event.effective >= inForce.chain.effective)
    const status = applied && a.event.verdict._tag === "Overridden" ? a.event.verdict.status : evaluation.status
    return {
      code: item.code,
      name: item.name,
      responsible: item.responsible,
      provenance: item.provenance,
      requirement,
      requirementText: Requirement.describe(requirement),
      status,
      computed: evaluation,
      evidence:
        inForce?.entry === undefined
          ? undefined
          : {
              entry: inForce.entry,
              chain: inForce.chain!.id,
              recordedAt: inForce.chain!.liveRecordedAt[inForce.chain!.live.length - 1] ?? 0
            },
      assessment: a === undefined ? undefined : { event: a.event, recordedAt: a.recordedAt, applied }
    }
  }
  const criteria = catalog.criteria.map((c): CriterionScore => {
    const indicators = c.indicators.map(scoreItem)
    const statuses = indicators.map((i) => i.status)
    return {
      code: c.code,
      name: c.name,
      provenance: c.provenance,
      status: Scoring.criterionStatus(statuses),
      indicators,
      met: statuses.filter((s) => s === "Met").length,
      applicable: statuses.filter((s) => s !== "NotApplicable").length
    }
  })
  const conditions = catalog.conditions.map(scoreItem)
  const all = criteria.flatMap((c) => c.indicators)
  const count = (s: Scoring.Status) => all.filter((i) => i.status === s).length
  return {
    unit,
    catalog: {
      id: catalog.id,
      version: catalog.version,
      name: catalog.name,
      standard: catalog.standard,
      provenance: catalog.provenance,
      illustrative: catalog.isIllustrative
    },
    asOf,
    unitClass,
    criteria,
    conditions,
    indicators: {
      total: all.length,
      applicable: all.length - count("NotApplicable"),
      met: count("Met"),
      notMet: count("NotMet"),
      noData: count("NoData"),
      undetermined: count("Undetermined"),
      notApplicable: count("NotApplicable")
    },
    criteriaMet: criteria.filter((c) => c.status === "Met").length,
    standardMet: Scoring.standardMet(
      criteria.map((c) => c.status),
      conditions.map((c) => c.status)
    ),
    remaining: all.filter((i) => i.status !== "Met" && i.status !== "NotApplicable")
  }
}

/**
 * The scorecards of every unit under a parent (at any depth) that the criteria set applies to, as of a date.
 *
 * @since 0.1.0
 */
export const forDescendants = (
  ledger: Ledger.Ledger,
  query: Omit<Query, "unit"> & { readonly parent: UnitId }
): ReadonlyArray<Either.Either<Scorecard, ScorecardError>> => {
  const hierarchy = Ledger.hierarchy(ledger)
  const versions = ledger.catalogs.get(query.catalog) ?? []
  const kinds = new Set(versions.flatMap((c) => c.appliesTo))
  return Hierarchy.descendantsAt(hierarchy, query.parent, query.asOf)
    .filter((u) => kinds.has(u.kind))
    .map((u) => make(ledger, { ...query, unit: u.id }))
}
