/**
 * Progress reports (báo cáo tiến độ) for a unit and a period: indicators met at the start and the end, what changed
 * and why (which evidence, which assessment), and the commitments due in the period with their outcome. The notice
 * asks for monthly and quarterly reviews (định kỳ hàng tháng, hàng quý kiểm điểm tiến độ).
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import type * as Catalog from "./Catalog.js"
import type * as Commitment from "./Commitment.js"
import * as Commitments from "./Commitments.js"
import type * as Evidence from "./Evidence.js"
import type { Ledger } from "./Ledger.js"
import * as LocalDate from "./LocalDate.js"
import * as Scorecard from "./Scorecard.js"
import type * as Scoring from "./Scoring.js"
import type { UnitId } from "./Unit.js"

/**
 * A reporting period: a month (`2024-05`), a quarter (`2024-Q2`) or a year (`2024`).
 *
 * @since 0.1.0
 */
export interface Period {
  readonly label: string
  readonly from: LocalDate.LocalDate
  readonly to: LocalDate.LocalDate
}

/** @since 0.1.0 */
export class InvalidPeriod extends Schema.TaggedError<InvalidPeriod>()("InvalidPeriod", { period: Schema.String }) {
  override get message() {
    return `Kỳ báo cáo không hợp lệ / invalid period "${this.period}": write 2024-05, 2024-Q2 or 2024`
  }
}

/**
 * Reads a period.
 *
 * @since 0.1.0
 */
export const parsePeriod = (label: string): Either.Either<Period, InvalidPeriod> => {
  const make = (y: number, m1: number, m2: number): Period => ({
    label,
    from: LocalDate.unsafeMake(`${y}-${String(m1).padStart(2, "0")}-01`),
    to: LocalDate.endOfMonth(LocalDate.unsafeMake(`${y}-${String(m2).padStart(2, "0")}-01`))
  })
  let m = /^(\d{4})$/.exec(label)
  if (m) return Either.right(make(Number(m[1]), 1, 12))
  m = /^(\d{4})-Q([1-4])$/.exec(label)
  if (m) {
    const q = Number(m[2])
    return Either.right(make(Number(m[1]), q * 3 - 2, q * 3))
  }
  m = /^(\d{4})-(\d{2})$/.exec(label)
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) return Either.right(make(Number(m[1]), Number(m[2]), Number(m[2])))
  return Either.left(new InvalidPeriod({ period: label }))
}

/**
 * One indicator whose status changed over the period, and why.
 *
 * @since 0.1.0
 */
export interface Change {
  readonly code: string
  readonly name: string
  readonly before: Scoring.Status
  readonly after: Scoring.Status
  readonly evidence: Evidence.Entry | undefined
  readonly assessment: Evidence.IndicatorAssessed | undefined
}

/** @since 0.1.0 */
export interface Report {
  readonly unit: UnitId
  readonly period: Period
  /**
   * The scorecard the day before the period; undefined when the unit or the criteria set came into force during
   * the period (every item then starts with no data).
   */
  readonly start: Scorecard.Scorecard | undefined
  readonly end: Scorecard.Scorecard
  readonly changes: ReadonlyArray<Change>
  /** Commitments about the unit (or units under it) due in the period, as they stood at its end. */
  readonly commitmentsDue: ReadonlyArray<Commitment.View>
}

/**
 * The progress report of a unit against a criteria set for a period. The start is the scorecard as of the day
 * before the period begins (none when the unit or the set came into force during the period); the end, as of its
 * last day, without which there is no report.
 *
 * @since 0.1.0
 */
export const report = (
  ledger: Ledger,
  query: { readonly unit: UnitId; readonly catalog: Catalog.CatalogId; readonly period: Period }
): Either.Either<Report, Scorecard.ScorecardError> => {
  const { unit, catalog, period } = query
  const before = LocalDate.addDays(period.from, -1)
  return Scorecard.make(ledger, { unit, catalog, asOf: period.to }).pipe(
    Either.map((end) => {
      // With a scorecard at the end, none the day before means the unit or the set was not yet in force then.
      const start = Either.getOrUndefined(Scorecard.make(ledger, { unit, catalog, asOf: before }))
      const items = (s: Scorecard.Scorecard) => [...s.criteria.flatMap((c) => c.indicators), ...s.conditions]
      const was = new Map((start === undefined ? [] : items(start)).map((i) => [i.code, i.status]))
      const changes: Array<Change> = []
      for (const i of items(end)) {
        const b = was.get(i.code) ?? "NoData"
        if (b === i.status) continue
        changes.push({
          code: i.code,
          name: i.name.vi,
          before: b,
          after: i.status,
          evidence: i.evidence?.entry,
          assessment: i.assessment?.applied ? i.assessment.event : undefined
        })
      }
      const commitmentsDue = Commitments.asOf(ledger, period.to, { within: unit }).filter(
        (v) => v.due >= period.from && v.due <= period.to
      )
      return { unit, period, start, end, changes, commitmentsDue }
    })
  )
}
