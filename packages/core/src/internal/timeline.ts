import type { LocalDate } from "../LocalDate.js"

/** A value that changes at dates. Entries are kept sorted by `from`; equal dates keep record order. */
export type Timeline<A> = ReadonlyArray<{ readonly from: LocalDate; readonly value: A }>

/** Inserts a change, keeping the timeline sorted (a later record on the same date comes after). */
export const insert = <A>(t: Timeline<A>, from: LocalDate, value: A): Timeline<A> => {
  let i = t.length
  while (i > 0 && t[i - 1]!.from > from) i--
  return [...t.slice(0, i), { from, value }, ...t.slice(i)]
}

/** The value in force on a date, if any. */
export const at = <A>(t: Timeline<A>, date: LocalDate): A | undefined => {
  for (let i = t.length - 1; i >= 0; i--) {
    const e = t[i]!
    if (e.from <= date) return e.value
  }
  return undefined
}

/** The dates at which the value changes, on or after a date. */
export const changesFrom = <A>(t: Timeline<A>, date: LocalDate): ReadonlyArray<LocalDate> =>
  t.filter((e) => e.from >= date).map((e) => e.from)
