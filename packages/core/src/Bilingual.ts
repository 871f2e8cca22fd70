/**
 * Text shown to people: Vietnamese first, English beside it.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as Limits from "./Limits.js"

/**
 * A name or message in Vietnamese (with diacritics) and English.
 *
 * @since 0.1.0
 */
export class Bilingual extends Schema.Class<Bilingual>("@ntm/core/Bilingual")({
  vi: Limits.NonEmptyText,
  en: Limits.NonEmptyText
}) {
  /** "tiếng Việt / English", the form used in one-line reports. */
  override toString(): string {
    return `${this.vi} / ${this.en}`
  }
}

/**
 * Builds a {@link Bilingual} without validation (for literals in code).
 *
 * @since 0.1.0
 */
export const make = (vi: string, en: string): Bilingual => new Bilingual({ vi, en }, { disableValidation: true })
