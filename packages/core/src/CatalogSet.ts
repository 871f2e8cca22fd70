/**
 * The catalogs published so far, and which version applies to a unit on a date.
 *
 * Criteria sets are published as events (`CatalogPublished`), so the record says which text was in force when.
 * A provincial version applies to the units of its province and takes precedence over the national version in
 * force on the same date.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { Actor } from "./Actor.js"
import * as Catalog from "./Catalog.js"
import type { Decider } from "./Decider.js"
import * as Hierarchy from "./Hierarchy.js"
import * as LocalDate from "./LocalDate.js"
import type { UnitId } from "./Unit.js"

/** @since 0.1.0 */
export const streamId = (catalog: Catalog.CatalogId): string => `Catalog-${catalog}`

/**
 * A catalog version was published. It holds the whole resolved catalog, so that an audit reads the text that was
 * used without depending on files.
 *
 * @since 0.1.0
 */
export class CatalogPublished extends Schema.TaggedClass<CatalogPublished>()("CatalogPublished", {
  catalog: Catalog.Catalog,
  /** The date the version is in force from. */
  effective: LocalDate.LocalDate,
  by: Actor
}) {}

/** @since 0.1.0 */
export const Event = CatalogPublished

/** @since 0.1.0 */
export type Event = CatalogPublished

/** The versions of one catalog, by version. @since 0.1.0 */
export interface State {
  readonly versions: ReadonlyMap<string, Catalog.Catalog>
}

/** @since 0.1.0 */
export const initial: State = { versions: new Map() }

/** @since 0.1.0 */
export const evolve = (state: State, event: Event): State => {
  if (state.versions.has(event.catalog.version)) return state
  const versions = new Map(state.versions)
  versions.set(event.catalog.version, event.catalog)
  return { versions }
}

/** @since 0.1.0 */
export class PublishCatalog extends Schema.TaggedClass<PublishCatalog>()("PublishCatalog", {
  catalog: Catalog.Catalog,
  by: Actor
}) {}

/** @since 0.1.0 */
export class CatalogVersionConflict extends Schema.TaggedError<CatalogVersionConflict>()("CatalogVersionConflict", {
  catalog: Schema.String,
  version: Schema.String
}) {
  override get message() {
    return `Phiên bản ${this.catalog}@${this.version} đã được công bố với nội dung khác / version ${this.catalog}@${this.version} was already published with other content: publish a new version`
  }
}

/**
 * A command cites a catalog version that was never published (a recognition, a dossier, a commitment).
 *
 * @since 0.1.0
 */
export class UnknownCatalogVersion extends Schema.TaggedError<UnknownCatalogVersion>()("UnknownCatalogVersion", {
  catalog: Schema.String,
  version: Schema.optional(Schema.String)
}) {
  override get message() {
    return this.version === undefined
      ? `Bộ tiêu chí ${this.catalog} chưa được công bố / catalog ${this.catalog} was never published`
      : `Bộ tiêu chí ${this.catalog} phiên bản ${this.version} chưa được công bố / catalog ${this.catalog} version ${this.version} was never published`
  }
}

/**
 * A catalog reference as commands give it: a version, or any version when none is named.
 *
 * @since 0.1.0
 */
export interface Reference {
  readonly id: string
  readonly version?: string | undefined
}

/**
 * Whether a reference names a published catalog (a version of it, when it names one).
 *
 * @since 0.1.0
 */
export const isPublished = (state: State, reference: Reference): boolean =>
  reference.version === undefined ? state.versions.size > 0 : state.versions.has(reference.version)

const same = (a: Catalog.Catalog, b: Catalog.Catalog) =>
  JSON.stringify(Catalog.encode(a)) === JSON.stringify(Catalog.encode(b))

/** @since 0.1.0 */
export const decide = (
  command: PublishCatalog,
  state: State
): Either.Either<ReadonlyArray<Event>, CatalogVersionConflict> => {
  const existing = state.versions.get(command.catalog.version)
  if (existing !== undefined) {
    return same(existing, command.catalog)
      ? Either.right([])
      : Either.left(new CatalogVersionConflict({ catalog: command.catalog.id, version: command.catalog.version }))
  }
  return Either.right([
    new CatalogPublished({ catalog: command.catalog, effective: command.catalog.effective.from, by: command.by })
  ])
}

/** @since 0.1.0 */
export const decider: Decider<PublishCatalog, Event, State, CatalogVersionConflict> = { initial, evolve, decide }

/**
 * The province a unit belongs to on a date (itself, for a province).
 *
 * @since 0.1.0
 */
export const provinceOf = (hierarchy: Hierarchy.State, unit: UnitId, date: LocalDate.LocalDate): UnitId | undefined => {
  for (const id of [unit, ...Hierarchy.ancestorsAt(hierarchy, unit, date)]) {
    if (hierarchy.units.get(id)?.kind === "province") return id
  }
  return undefined
}

/**
 * The version of a criteria set in force for a unit of a province on a date: a provincial version of that
 * province if one is in force, else the national one; the latest to take effect wins.
 *
 * @since 0.1.0
 */
export const versionFor = (
  catalogs: Iterable<Catalog.Catalog>,
  id: Catalog.CatalogId,
  province: UnitId | undefined,
  date: LocalDate.LocalDate
): Catalog.Catalog | undefined => {
  let best: Catalog.Catalog | undefined
  const rank = (c: Catalog.Catalog) => (c.province === undefined ? 0 : 1)
  for (const c of catalogs) {
    if (c.id !== id || c.effective.from > date) continue
    if (c.effective.until !== undefined && date > c.effective.until) continue
    if (c.province !== undefined && c.province !== province) continue
    if (
      best === undefined ||
      rank(c) > rank(best) ||
      (rank(c) === rank(best) && c.effective.from >= best.effective.from)
    ) {
      best = c
    }
  }
  return best
}
