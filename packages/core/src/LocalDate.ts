/**
 * Calendar dates (ngày) on which facts take effect, and periods between them.
 *
 * A date is the ISO string `YYYY-MM-DD`. ISO dates order the same as strings, so comparison is plain string
 * comparison: cheap on the hot path of a projection.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as Limits from "./Limits.js"

/** Epoch milliseconds of a UTC calendar date; unlike `Date.UTC`, years 0–99 are not read as 1900–1999. */
const utc = (y: number, monthIndex: number, day: number): number => {
  const t = new Date(0)
  t.setUTCFullYear(y, monthIndex, day)
  return t.getTime()
}

const isValidDate = (s: string): boolean => {
  const y = Number(s.slice(0, 4))
  const m = Number(s.slice(5, 7))
  const d = Number(s.slice(8, 10))
  if (m < 1 || m > 12 || d < 1) return false
  const days = new Date(utc(y, m, 0)).getUTCDate()
  return d <= days
}

/**
 * A calendar date, `YYYY-MM-DD`, from `Limits.earliestDate` to `Limits.latestDate` (1900-01-01 to 2199-12-31).
 *
 * @since 0.1.0
 */
export const LocalDate = Schema.String.pipe(
  Schema.pattern(/^\d{4}-\d{2}-\d{2}$/, { message: () => "expected a date written YYYY-MM-DD" }),
  Schema.filter(isValidDate, { message: () => "no such calendar date" }),
  Schema.filter((s) => s >= Limits.earliestDate && s <= Limits.latestDate, {
    message: () => `a date lies from ${Limits.earliestDate} to ${Limits.latestDate}`
  }),
  Schema.brand("@ntm/core/LocalDate"),
  Schema.annotations({ identifier: "LocalDate", description: "A calendar date, YYYY-MM-DD" })
)

/**
 * @since 0.1.0
 */
export type LocalDate = typeof LocalDate.Type

/**
 * Reads a literal date, throwing on a malformed one. For dates written in code and tests; input from people goes
 * through the {@link LocalDate} schema.
 *
 * @since 0.1.0
 */
export const unsafeMake = (s: string): LocalDate => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || !isValidDate(s)) throw new Error(`not a date: ${s}`)
  return s as LocalDate
}

/** The latest representable date: "as of" with no limit. @since 0.1.0 */
export const max: LocalDate = "9999-12-31" as LocalDate

/** The earliest representable date. @since 0.1.0 */
export const min: LocalDate = "0001-01-01" as LocalDate

/** @since 0.1.0 */
export const lessOrEqual = (a: LocalDate, b: LocalDate): boolean => a <= b

/** @since 0.1.0 */
export const maxOf = (a: LocalDate, b: LocalDate): LocalDate => (a >= b ? a : b)

/**
 * The UTC calendar date of an instant given in epoch milliseconds.
 *
 * @since 0.1.0
 */
export const fromEpochMillis = (ms: number): LocalDate => new Date(ms).toISOString().slice(0, 10) as LocalDate

/**
 * Midnight UTC at the start of a date, in epoch milliseconds.
 *
 * @since 0.1.0
 */
export const toEpochMillis = (d: LocalDate): number => Date.parse(`${d}T00:00:00.000Z`)

/**
 * The date `n` days after `d` (before it when `n` is negative).
 *
 * @since 0.1.0
 */
export const addDays = (d: LocalDate, n: number): LocalDate => fromEpochMillis(toEpochMillis(d) + n * 86_400_000)

/**
 * The last day of the month of `d`.
 *
 * @since 0.1.0
 */
export const endOfMonth = (d: LocalDate): LocalDate => {
  const y = Number(d.slice(0, 4))
  const m = Number(d.slice(5, 7))
  return fromEpochMillis(utc(y, m, 0))
}
