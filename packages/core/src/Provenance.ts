/**
 * Where a fact of a catalog comes from, and how far it can be trusted.
 *
 * Most of the official criteria tables were not available when the shipped catalogs were compiled, so every
 * criterion, indicator and threshold says whether it was verified, against which sources, and whether it was made
 * up for an example (illustrative). The product shows these marks wherever it shows the fact.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * A document that backs a fact: a legal text, a news report of one, a provincial notice.
 *
 * @since 0.1.0
 */
export class SourceRef extends Schema.Class<SourceRef>("@ntm/core/SourceRef")({
  /** A short key, unique within a catalog file (`"q320_qa"`). */
  id: Schema.NonEmptyString,
  title: Schema.NonEmptyString,
  url: Schema.optional(Schema.NonEmptyString),
  /** Whether the source is the official text or a secondary report of it. */
  kind: Schema.optionalWith(Schema.Literal("official", "secondary", "notice", "illustrative"), {
    default: () => "secondary" as const
  })
}) {}

/**
 * How a catalog item is known.
 *
 * - `verified`: read in a retrieved source (the sources are listed).
 * - `unverified`: inferred, recalled or reported without a source in hand; shown as unverified.
 * - `illustrative`: invented for an example so that it can run; never a legal fact.
 *
 * @since 0.1.0
 */
export const Status = Schema.Literal("verified", "unverified", "illustrative")

/** @since 0.1.0 */
export type Status = typeof Status.Type

/**
 * The provenance of one catalog item.
 *
 * @since 0.1.0
 */
export class Provenance extends Schema.Class<Provenance>("@ntm/core/Provenance")({
  status: Status,
  /** Keys of {@link SourceRef}s of the catalog. */
  sources: Schema.optionalWith(Schema.Array(Schema.NonEmptyString), { default: () => [] }),
  note: Schema.optional(Schema.String)
}) {}

/**
 * The mark shown beside an item: `✓` verified, `?` unverified, `※` illustrative.
 *
 * @since 0.1.0
 */
export const mark = (status: Status): string => (status === "verified" ? "✓" : status === "unverified" ? "?" : "※")

/**
 * The label of a status, Vietnamese first.
 *
 * @since 0.1.0
 */
export const label = (status: Status): string =>
  status === "verified"
    ? "đã kiểm chứng / verified"
    : status === "unverified"
      ? "chưa kiểm chứng / unverified"
      : "minh họa / illustrative"
