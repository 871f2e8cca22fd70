/**
 * Scoring rules: an indicator's status from its requirement and the evidence in force, a criterion's from its
 * indicators, a standard's from its criteria and entry conditions.
 *
 * - An indicator is **met** (đạt), **not met** (chưa đạt), **no data** (chưa có số liệu), **not applicable**
 *   (không áp dụng), or **undetermined** (chưa xác định): evidence exists but the requirement's threshold is not
 *   known, so no status can honestly be computed. An assessment can settle it.
 * - A criterion is met when it has at least one applicable indicator and every applicable indicator is met; it is
 *   not applicable when every indicator is; with no indicators listed (the catalog does not know them) it has no data.
 * - A standard is met when every criterion and every entry condition is met or not applicable.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import type { EvidenceValue } from "./EvidenceValue.js"
import { type Requirement, type Rounding, requiredCount } from "./Requirement.js"
import type { StandardId } from "./Standard.js"
import type { UnitKind } from "./Unit.js"

/**
 * @since 0.1.0
 */
export const Status = Schema.Literal("Met", "NotMet", "NoData", "NotApplicable", "Undetermined")

/** @since 0.1.0 */
export type Status = typeof Status.Type

/** Labels, Vietnamese first. @since 0.1.0 */
export const statusLabel: Record<Status, string> = {
  Met: "Đạt / met",
  NotMet: "Chưa đạt / not met",
  NoData: "Chưa có số liệu / no data",
  NotApplicable: "Không áp dụng / not applicable",
  Undetermined: "Chưa xác định / undetermined"
}

/**
 * Why an item has its status.
 *
 * @since 0.1.0
 */
export type Reason =
  | "Evidence"
  | "Attestation"
  | "NoEvidence"
  | "Expired"
  | "DeclaredNotApplicable"
  | "ThresholdUnknown"
  | "ThresholdSetByProvince"
  | "Subunits"
  | "NoSubunits"
  | "Recognition"
  | "IndicatorsUnknown"
  | "Indicators"

/** @since 0.1.0 */
export interface Evaluation {
  readonly status: Status
  readonly reason: Reason
  /** For computed requirements: how many sub-units count, of how many, and how many are required. */
  readonly subunits?: { readonly count: number; readonly total: number; readonly required: number | undefined }
}

/**
 * What computed requirements read from the hierarchy and the recognitions, on the date asked.
 *
 * @since 0.1.0
 */
export interface Computed {
  /** Of the unit's direct sub-units of these kinds, how many hold any of these standards. */
  readonly share: (
    kinds: ReadonlyArray<UnitKind>,
    standards: ReadonlyArray<StandardId>
  ) => { readonly count: number; readonly total: number }
  /** Whether the unit itself holds any of these standards. */
  readonly holds: (standards: ReadonlyArray<StandardId>) => boolean
}

/** @since 0.1.0 */
export interface Options {
  /** Overrides the rounding rule of every share-of-sub-units requirement. */
  readonly rounding?: Rounding
}

const judge = (ok: boolean): Evaluation => ({ status: ok ? "Met" : "NotMet", reason: "Evidence" })

/**
 * The status of one requirement, given the evidence value in force (if any).
 *
 * @since 0.1.0
 */
export const evaluate = (
  requirement: Requirement,
  value: EvidenceValue | undefined,
  computed: Computed,
  options?: Options
): Evaluation => {
  switch (requirement._tag) {
    case "MinShareOfSubunits": {
      const { count, total } = computed.share(requirement.subunitKinds, requirement.standards)
      if (total === 0) return { status: "NotApplicable", reason: "NoSubunits", subunits: { count, total, required: 0 } }
      const t = requirement.threshold
      if (t._tag !== "Known") {
        return {
          status: "Undetermined",
          reason: t._tag === "Unknown" ? "ThresholdUnknown" : "ThresholdSetByProvince",
          subunits: { count, total, required: undefined }
        }
      }
      const required = requiredCount(t.value, total, options?.rounding ?? requirement.rounding)
      return { status: count >= required ? "Met" : "NotMet", reason: "Subunits", subunits: { count, total, required } }
    }
    case "HoldsRecognition":
      return { status: computed.holds(requirement.standards) ? "Met" : "NotMet", reason: "Recognition" }
    default:
      break
  }
  if (value === undefined) return { status: "NoData", reason: "NoEvidence" }
  if (value._tag === "NotApplicable") return { status: "NotApplicable", reason: "DeclaredNotApplicable" }
  switch (requirement._tag) {
    case "Attainment":
      return value._tag === "Attained" ? judge(value.attained) : { status: "Undetermined", reason: "Evidence" }
    case "DefinedByProvince":
    case "NotKnown":
      // Only an attestation by the competent body can be scored when the requirement itself is not known.
      return value._tag === "Attained"
        ? { status: value.attained ? "Met" : "NotMet", reason: "Attestation" }
        : { status: "Undetermined", reason: "ThresholdUnknown" }
    default:
      break
  }
  const t = requirement.threshold
  if (t._tag !== "Known") {
    return { status: "Undetermined", reason: t._tag === "Unknown" ? "ThresholdUnknown" : "ThresholdSetByProvince" }
  }
  const n = t.value as number
  switch (requirement._tag) {
    case "MinPercent":
      return value._tag === "Percent" ? judge(value.value >= n) : { status: "Undetermined", reason: "Evidence" }
    case "MaxPercent":
      return value._tag === "Percent" ? judge(value.value <= n) : { status: "Undetermined", reason: "Evidence" }
    case "MinCount":
      return value._tag === "Count" ? judge(value.value >= n) : { status: "Undetermined", reason: "Evidence" }
    case "MinQuantity":
      return value._tag === "Quantity" ? judge(value.value >= n) : { status: "Undetermined", reason: "Evidence" }
    case "MinClass": {
      if (value._tag !== "Level") return { status: "Undetermined", reason: "Evidence" }
      const have = requirement.scale.indexOf(value.value)
      const need = requirement.scale.indexOf(t.value as string)
      return have < 0 || need < 0 ? { status: "Undetermined", reason: "Evidence" } : judge(have >= need)
    }
  }
}

/**
 * A criterion's status from its indicators' statuses.
 *
 * @since 0.1.0
 */
export const criterionStatus = (statuses: ReadonlyArray<Status>): Status => {
  if (statuses.length === 0) return "NoData"
  const applicable = statuses.filter((s) => s !== "NotApplicable")
  if (applicable.length === 0) return "NotApplicable"
  if (applicable.every((s) => s === "Met")) return "Met"
  if (applicable.some((s) => s === "NotMet")) return "NotMet"
  return applicable.some((s) => s === "Undetermined") ? "Undetermined" : "NoData"
}

/**
 * Whether a standard is met: every criterion and entry condition met or not applicable, and at least one of them.
 *
 * @since 0.1.0
 */
export const standardMet = (criteria: ReadonlyArray<Status>, conditions: ReadonlyArray<Status>): boolean => {
  const all = [...criteria, ...conditions]
  return all.length > 0 && all.every((s) => s === "Met" || s === "NotApplicable")
}
