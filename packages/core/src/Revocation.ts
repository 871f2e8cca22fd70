/**
 * The revocation rules of Decision 18/2022/QĐ-TTg, evaluated continuously as a warning.
 *
 * "Revocation warranted" (đủ điều kiện thu hồi) is a finding as of a date, with its reasons; it is not a
 * revocation. A unit that no longer meets a criterion is *not maintaining* it; it is *revoked* only when a
 * revocation decision is recorded (`RecognitionRevoked`). The rules are data ({@link Rule}), keyed by criteria set.
 *
 * The rules found (§6.4 of the domain reference, verified from secondary sources):
 * - commune NTM: revoke when 30% to 50% of its criteria fail and the failing ones include income, environment (and
 *   food safety) or defence and security; or when 50% or more fail;
 * - district NTM: revoke when 30% or more of its communes have had their NTM recognition revoked; or when 30% to under
 *   50% of its criteria fail, including economy, environment, quality of the living environment, or the political
 *   system / security / public administration criterion; or when 50% or more fail.
 * The rules for advanced and model communes and advanced districts were not found: no rule is shipped for them.
 *
 * A criterion counts as failing when its status is not met. Criteria without data are listed apart
 * (`unassessed`): they cannot be counted either way.
 *
 * @since 0.1.0
 */
import type { CatalogId } from "./Catalog.js"
import * as Hierarchy from "./Hierarchy.js"
import * as Ledger from "./Ledger.js"
import type * as LocalDate from "./LocalDate.js"
import * as Recognition from "./Recognition.js"
import * as Scorecard from "./Scorecard.js"
import type { StandardId } from "./Standard.js"
import type { UnitId, UnitKind } from "./Unit.js"

/**
 * One revocation rule.
 *
 * @since 0.1.0
 */
export interface Rule {
  /** The criteria sets (ids) it applies to. */
  readonly catalogs: ReadonlyArray<CatalogId | string>
  /** The standard whose recognition it revokes. */
  readonly standard: StandardId | string
  /** Failing criteria from this share (inclusive) to `upto`, together with a key criterion. */
  readonly keyBand: { readonly from: number; readonly upto: number; readonly uptoInclusive: boolean }
  /** Criteria codes of the key criteria. */
  readonly keyCriteria: ReadonlyArray<string>
  /** Failing criteria from this share (inclusive) on, whatever they are. */
  readonly anyFrom: number
  /** For a district: the share of its sub-units whose recognition was revoked. */
  readonly revokedSubunits?: { readonly kinds: ReadonlyArray<UnitKind>; readonly from: number }
  readonly source: string
  readonly verified: boolean
}

/**
 * The rules shipped: the commune and district NTM rules of 18/2022 for the 2021–2025 sets.
 *
 * @since 0.1.0
 */
export const rules18_2022: ReadonlyArray<Rule> = [
  {
    catalogs: ["vn/2021-2025/commune-ntm"],
    standard: "ntm",
    keyBand: { from: 30, upto: 50, uptoInclusive: true },
    // 10 Thu nhập (income), 17 Môi trường và an toàn thực phẩm (environment and food safety), 19 Quốc phòng và An ninh.
    keyCriteria: ["10", "17", "19"],
    anyFrom: 50,
    source: "18/2022/QĐ-TTg (thuvienphapluat summary, domain reference §6.4)",
    verified: true
  },
  {
    catalogs: ["vn/2021-2025/district-ntm"],
    standard: "ntm",
    keyBand: { from: 30, upto: 50, uptoInclusive: false },
    // 6 Kinh tế, 7 Môi trường, 8 Chất lượng môi trường sống, 9 Hệ thống chính trị – An ninh trật tự – Hành chính công.
    keyCriteria: ["6", "7", "8", "9"],
    anyFrom: 50,
    revokedSubunits: { kinds: ["commune"], from: 30 },
    source: "18/2022/QĐ-TTg (thuvienphapluat summary, domain reference §6.4)",
    verified: true
  }
]

/**
 * The finding for one unit.
 *
 * @since 0.1.0
 */
export interface Finding {
  readonly warranted: boolean
  readonly reasons: ReadonlyArray<string>
  /**
   * Criteria not met, and their share (in %) of the criteria that apply, unassessed ones included: the rule counts
   * a share of all the unit's criteria, so this is the share known to fail.
   */
  readonly failing: ReadonlyArray<string>
  readonly failingShare: number
  /** Criteria with no data or undetermined: not counted either way. */
  readonly unassessed: ReadonlyArray<string>
  readonly rule: Rule
}

/**
 * Evaluates a rule against a scorecard (and, for a district, the count of its sub-units whose recognition was
 * revoked: `revoked` of `total`).
 *
 * @since 0.1.0
 */
export const evaluate = (
  rule: Rule,
  scorecard: Scorecard.Scorecard,
  subunits?: { readonly revoked: number; readonly total: number }
): Finding => {
  const criteria = scorecard.criteria.filter((c) => c.status !== "NotApplicable")
  const failing = criteria.filter((c) => c.status === "NotMet").map((c) => c.code)
  const unassessed = criteria.filter((c) => c.status === "NoData" || c.status === "Undetermined").map((c) => c.code)
  const total = criteria.length
  const share = total === 0 ? 0 : (failing.length * 100) / total
  const reasons: Array<string> = []
  if (total > 0 && share >= rule.anyFrom) {
    reasons.push(
      `${failing.length}/${total} tiêu chí không đạt (≥ ${rule.anyFrom}%) / ${failing.length} of ${total} criteria not met (≥ ${rule.anyFrom}%)`
    )
  }
  const inBand =
    share >= rule.keyBand.from && (rule.keyBand.uptoInclusive ? share <= rule.keyBand.upto : share < rule.keyBand.upto)
  const keys = failing.filter((c) => rule.keyCriteria.includes(c))
  if (total > 0 && inBand && keys.length > 0) {
    reasons.push(
      `${failing.length}/${total} tiêu chí không đạt, gồm tiêu chí trọng yếu ${keys.join(", ")} / ${failing.length} of ${total} criteria not met, including key criteria ${keys.join(", ")}`
    )
  }
  if (rule.revokedSubunits !== undefined && subunits !== undefined && subunits.total > 0) {
    const p = (subunits.revoked * 100) / subunits.total
    if (p >= rule.revokedSubunits.from) {
      reasons.push(
        `${subunits.revoked}/${subunits.total} xã bị thu hồi quyết định công nhận (≥ ${rule.revokedSubunits.from}%) / ${subunits.revoked} of ${subunits.total} communes revoked`
      )
    }
  }
  return { warranted: reasons.length > 0, reasons, failing, failingShare: share, unassessed, rule }
}

/**
 * The rule for a criteria set and standard, if one is known.
 *
 * @since 0.1.0
 */
export const ruleFor = (
  catalog: CatalogId | string,
  standard: StandardId | string,
  rules: ReadonlyArray<Rule> = rules18_2022
): Rule | undefined => rules.find((r) => r.catalogs.includes(catalog) && r.standard === standard)

/**
 * Where a recognised unit stands as of a date: whether it still meets the standard (maintaining), and whether the
 * revocation rule, where one is known, finds revocation warranted.
 *
 * @since 0.1.0
 */
export interface Standing {
  readonly unit: UnitId
  readonly standard: StandardId | string
  readonly holds: boolean
  readonly revoked: boolean
  /** Whether the scorecard against the rule's criteria set meets the standard; undefined without a scorecard. */
  readonly maintaining: boolean | undefined
  readonly finding: Finding | undefined
}

/**
 * The standing of a unit for a standard as of a date, under the first rule that applies to the standard and the
 * unit's kind of criteria set.
 *
 * @since 0.1.0
 */
export const standingAt = (
  ledger: Ledger.Ledger,
  unit: UnitId,
  standard: StandardId,
  date: LocalDate.LocalDate,
  rules: ReadonlyArray<Rule> = rules18_2022
): Standing => {
  const holds = Ledger.holds(ledger, unit, standard, date)
  const own = ledger.recognitions.get(unit)
  const status = own === undefined ? undefined : Recognition.ownStatusAt(own, standard, date)
  const revoked = status !== undefined && !status.holds
  for (const rule of rules) {
    if (rule.standard !== standard) continue
    for (const catalog of rule.catalogs) {
      const card = Scorecard.make(ledger, { unit, catalog: catalog as CatalogId, asOf: date })
      if (card._tag === "Left") continue
      let subunits: { revoked: number; total: number } | undefined
      if (rule.revokedSubunits !== undefined) {
        const kinds = rule.revokedSubunits.kinds
        const children = Hierarchy.childrenAt(ledger.hierarchy, unit, date).filter((c) => kinds.includes(c.kind))
        const revokedCount = children.filter((c) => {
          const s = ledger.recognitions.get(c.id)
          const st = s === undefined ? undefined : Recognition.ownStatusAt(s, standard, date)
          return st !== undefined && !st.holds
        }).length
        subunits = { revoked: revokedCount, total: children.length }
      }
      return {
        unit,
        standard,
        holds,
        revoked,
        maintaining: card.right.standardMet,
        finding: holds ? evaluate(rule, card.right, subunits) : undefined
      }
    }
  }
  return { unit, standard, holds, revoked, maintaining: undefined, finding: undefined }
}
