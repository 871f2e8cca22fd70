/**
 * What the product accepts in a record: one grammar for identifiers, what a text may hold, how long lists and texts
 * may be, and the range of dates. These are product limits (what `@ntm/core` enforces so that the record stays
 * readable and storable by every store), not law; `docs/events.md` lists them.
 *
 * The limits are set so that no well-formed event of an earlier build breaks them: events are read back with the
 * same schemas, and an event that no longer decoded would stop every read.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/** The longest identifier, in UTF-16 code units. @since 0.1.0 */
export const maxIdLength = 200

/** The longest text (a name, a reason, a note, a title), in UTF-16 code units. @since 0.1.0 */
export const maxTextLength = 10_000

/** The most documents one piece of evidence or one commitment rests on. @since 0.1.0 */
export const maxSources = 200

/**
 * The longest of the other lists of an event: indicators and criteria of a commitment, evidence entries that
 * fulfil it, reasons for a return, sub-units of a consultation, units merged at once, lines of a frozen scorecard.
 *
 * @since 0.1.0
 */
export const maxListLength = 1_000

/** The earliest date a record may carry. @since 0.1.0 */
export const earliestDate = "1900-01-01"

/** The latest date a record may carry. @since 0.1.0 */
export const latestDate = "2199-12-31"

/** The longest event, as the JSON text a store keeps, in UTF-16 code units (a whole catalog is one event). @since 0.1.0 */
export const maxEventLength = 2_000_000

/**
 * Characters no text may hold: C0 and C1 control characters except tab and newline (a carriage return only before
 * a newline, as in Windows line endings), and lone surrogates (half a UTF-16 pair: not Unicode, and refused by
 * PostgreSQL).
 */
const forbiddenInText = /(?![\t\n\r])\p{Cc}|\r(?!\n)|\p{Cs}/u

/**
 * The grammar of an identifier: visible characters (letters, marks, digits, punctuation, symbols) and inner
 * spaces; no control, format or private-use character, no other kind of space, none at either end.
 */
const idPattern = /^[^\p{C}\p{Z}](?:(?:[^\p{C}\p{Z}]| )*[^\p{C}\p{Z}])?$/u

/**
 * Whether a text holds only what {@link Text} allows.
 *
 * @since 0.1.0
 */
export const isText = (s: string): boolean => !forbiddenInText.test(s)

/**
 * Whether a string is an identifier of the one grammar ({@link Id}).
 *
 * @since 0.1.0
 */
export const isId = (s: string): boolean => s.length <= maxIdLength && idPattern.test(s)

/**
 * An identifier: of a unit, an evidence entry, an assessment, a commitment, a dossier, a recognition, a decision
 * number, an indicator code, an actor. 1 to {@link maxIdLength} visible characters, inner spaces allowed
 * (`"bac-giang/tan-yen"`, `"1234/QĐ-UBND"`, `"tan-yen:7.4:2023-09-30"`).
 *
 * @since 0.1.0
 */
export const Id = Schema.String.pipe(
  Schema.maxLength(maxIdLength, { message: () => `an identifier has at most ${maxIdLength} characters` }),
  Schema.pattern(idPattern, {
    message: () =>
      "an identifier is visible characters and inner spaces, without control characters or spaces at either end"
  }),
  Schema.annotations({ identifier: "Id" })
)

/**
 * A free text (a note, a basis, an issuer): at most {@link maxTextLength} characters, no control character but tab
 * and newline. May be empty.
 *
 * @since 0.1.0
 */
export const Text = Schema.String.pipe(
  Schema.maxLength(maxTextLength, { message: () => `a text has at most ${maxTextLength} characters` }),
  Schema.filter(isText, {
    message: () => "a text holds no control characters (but tab and newline) and no lone surrogates"
  }),
  Schema.annotations({ identifier: "Text" })
)

/**
 * A {@link Text} that is not empty (a name, a reason, a title).
 *
 * @since 0.1.0
 */
export const NonEmptyText = Text.pipe(
  Schema.minLength(1, { message: () => "a text cannot be empty" }),
  Schema.annotations({ identifier: "NonEmptyText" })
)

/**
 * A list of at most `max` items.
 *
 * @since 0.1.0
 */
export const boundedArray = <S extends Schema.Schema.Any>(item: S, max: number = maxListLength) =>
  Schema.Array(item).pipe(Schema.maxItems<Schema.Array$<S>>(max, { message: () => `a list has at most ${max} items` }))

/**
 * A non-empty list of at most `max` items.
 *
 * @since 0.1.0
 */
export const boundedNonEmptyArray = <S extends Schema.Schema.Any>(item: S, max: number = maxListLength) =>
  Schema.NonEmptyArray(item).pipe(
    Schema.maxItems<Schema.NonEmptyArray<S>>(max, { message: () => `a list has at most ${max} items` })
  )

/**
 * A finite number (never `Infinity`, which JSON cannot write: `1e999` reads as `Infinity`, and is stored as `null`).
 *
 * @since 0.1.0
 */
export const FiniteNumber = Schema.Number.pipe(
  Schema.finite({ message: () => "a number must be finite" }),
  Schema.annotations({ identifier: "FiniteNumber" })
)

/**
 * The first string of a JSON-like value (keys included) that no text may hold, with its path; `undefined` when there
 * is none. For what no schema of a field covers, such as the free texts of a catalog.
 *
 * @since 0.1.0
 */
export const findForbiddenText = (
  value: unknown,
  path: ReadonlyArray<string | number> = []
): { readonly path: ReadonlyArray<string | number>; readonly text: string } | undefined => {
  if (typeof value === "string") return isText(value) ? undefined : { path, text: value }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findForbiddenText(value[i], [...path, i])
      if (found !== undefined) return found
    }
    return undefined
  }
  if (typeof value === "object" && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (!isText(k)) return { path: [...path, k], text: k }
      const found = findForbiddenText(v, [...path, k])
      if (found !== undefined) return found
    }
  }
  return undefined
}
