/**
 * Commitments as of a date: open, due soon, overdue, by agency and by unit; and the commitments made at a
 * recognition, with whether they were met.
 *
 * @since 0.1.0
 */
import * as Commitment from "./Commitment.js"
import * as Hierarchy from "./Hierarchy.js"
import type { Ledger } from "./Ledger.js"
import type * as LocalDate from "./LocalDate.js"
import type { UnitId } from "./Unit.js"

/** @since 0.1.0 */
export interface Options {
  /** Days ahead that count as "due soon" (default 30). */
  readonly horizonDays?: number
  /** Only commitments about this unit or units under it. */
  readonly within?: UnitId
}

/**
 * Every commitment made by the date, as it stood then.
 *
 * @since 0.1.0
 */
export const asOf = (ledger: Ledger, date: LocalDate.LocalDate, options?: Options): ReadonlyArray<Commitment.View> => {
  const out: Array<Commitment.View> = []
  for (const state of ledger.commitments.values()) {
    const view = Commitment.viewAt(state, date, options?.horizonDays)
    if (view === undefined) continue
    if (
      options?.within !== undefined &&
      !Hierarchy.isWithin(ledger.hierarchy, view.made.subject.unit, options.within, date)
    ) {
      continue
    }
    out.push(view)
  }
  return out.sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0))
}

/** Counts of commitments by status. @since 0.1.0 */
export type Counts = Readonly<Record<Commitment.Status, number>>

const emptyCounts = (): Record<Commitment.Status, number> => ({
  Open: 0,
  DueSoon: 0,
  Overdue: 0,
  Fulfilled: 0,
  FulfilledLate: 0,
  Withdrawn: 0
})

/**
 * Commitments grouped by a key (the responsible agency, the unit), with counts by status.
 *
 * @since 0.1.0
 */
export const groupBy = (
  views: ReadonlyArray<Commitment.View>,
  key: (v: Commitment.View) => string
): ReadonlyArray<{
  readonly key: string
  readonly counts: Counts
  readonly commitments: ReadonlyArray<Commitment.View>
}> => {
  const groups = new Map<string, { counts: Record<Commitment.Status, number>; commitments: Array<Commitment.View> }>()
  for (const v of views) {
    const k = key(v)
    let g = groups.get(k)
    if (g === undefined) {
      g = { counts: emptyCounts(), commitments: [] }
      groups.set(k, g)
    }
    g.counts[v.status]++
    g.commitments.push(v)
  }
  return [...groups.entries()]
    .map(([key, g]) => ({ key, counts: g.counts, commitments: g.commitments }))
    .sort((a, b) => (a.key < b.key ? -1 : 1))
}

/** By responsible agency. @since 0.1.0 */
export const byAgency = (views: ReadonlyArray<Commitment.View>) => groupBy(views, (v) => v.made.responsible.agency)

/** By the unit the commitment is about. @since 0.1.0 */
export const byUnit = (views: ReadonlyArray<Commitment.View>) => groupBy(views, (v) => v.made.subject.unit)

/**
 * The commitments made at a recognition, and whether each was met as of a date.
 *
 * @since 0.1.0
 */
export const madeFor = (
  ledger: Ledger,
  recognition: string,
  date: LocalDate.LocalDate
): ReadonlyArray<Commitment.View> => asOf(ledger, date).filter((v) => v.made.madeFor === recognition)
