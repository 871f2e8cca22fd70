/**
 * Audit: replay the history of a unit, an indicator, a dossier, a commitment or a person's actions, in record order
 * with both times; and the difference between what the record said at two recording times for the same date.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import type * as Catalog from "./Catalog.js"
import type { DomainEvent, Recorded } from "./Events.js"
import * as Ledger from "./Ledger.js"
import type * as LocalDate from "./LocalDate.js"
import * as Scorecard from "./Scorecard.js"
import type * as Scoring from "./Scoring.js"
import type { UnitId } from "./Unit.js"

/**
 * What to replay.
 *
 * @since 0.1.0
 */
export type Subject =
  | { readonly _tag: "Unit"; readonly unit: UnitId }
  | { readonly _tag: "Indicator"; readonly unit: UnitId; readonly catalog: Catalog.CatalogId; readonly code: string }
  | { readonly _tag: "Dossier"; readonly dossier: string }
  | { readonly _tag: "Commitment"; readonly commitment: string }
  | { readonly _tag: "Actor"; readonly actor: string }

/**
 * One line of a replayed history.
 *
 * @since 0.1.0
 */
export interface Line {
  readonly position: number
  readonly stream: string
  readonly recordedAt: number
  readonly effective: LocalDate.LocalDate
  readonly type: DomainEvent["_tag"]
  readonly actor: string
  readonly event: DomainEvent
}

/** The units an event concerns. */
const unitsOf = (e: DomainEvent, owners: Map<string, UnitId>): ReadonlyArray<UnitId> => {
  switch (e._tag) {
    case "CatalogPublished":
      return []
    case "UnitsMerged":
      return [e.into, ...e.merged]
    case "DossierOpened":
      owners.set(`Dossier-${e.dossier}`, e.unit)
      return [e.unit]
    case "CommitmentMade":
      owners.set(`Commitment-${e.commitment}`, e.subject.unit)
      return [e.subject.unit]
    default:
      if ("unit" in e) return [e.unit]
      if ("dossier" in e) {
        const u = owners.get(`Dossier-${e.dossier}`)
        return u === undefined ? [] : [u]
      }
      if ("commitment" in e) {
        const u = owners.get(`Commitment-${e.commitment}`)
        return u === undefined ? [] : [u]
      }
      return []
  }
}

/**
 * Replays the history of a subject from events in record order.
 *
 * @since 0.1.0
 */
export const replay = (events: Iterable<Recorded>, subject: Subject): ReadonlyArray<Line> => {
  const owners = new Map<string, UnitId>()
  const out: Array<Line> = []
  for (const r of events) {
    const e = r.event
    // A unit's dossier index repeats the opening recorded in the dossier's own stream, in the same transaction.
    if (e._tag === "DossierListed") continue
    const units = unitsOf(e, owners)
    let keep: boolean
    switch (subject._tag) {
      case "Unit":
        keep = units.includes(subject.unit)
        break
      case "Indicator":
        keep =
          "code" in e &&
          "catalog" in e &&
          units.includes(subject.unit) &&
          e.catalog === subject.catalog &&
          e.code === subject.code
        break
      case "Dossier":
        keep = "dossier" in e && e.dossier === subject.dossier
        break
      case "Commitment":
        keep = "commitment" in e && e.commitment === subject.commitment
        break
      case "Actor":
        keep = e.by.id === subject.actor
        break
    }
    if (keep) {
      out.push({
        position: r.position,
        stream: r.stream,
        recordedAt: r.recordedAt,
        effective: e.effective,
        type: e._tag,
        actor: e.by.id,
        event: e
      })
    }
  }
  return out
}

/**
 * How one item's reading changed between two recording times.
 *
 * @since 0.1.0
 */
export interface Change {
  readonly code: string
  readonly before: { readonly status: Scoring.Status; readonly entry: string | undefined }
  readonly after: { readonly status: Scoring.Status; readonly entry: string | undefined }
  /** The events recorded between the two times that concern this item. */
  readonly causes: ReadonlyArray<Line>
}

/**
 * What later records changed in a unit's scorecard as of one date: the scorecard as known at `from` against the
 * scorecard as known at `to`.
 *
 * @since 0.1.0
 */
export const diff = (
  events: ReadonlyArray<Recorded>,
  query: {
    readonly unit: UnitId
    readonly catalog: Catalog.CatalogId
    readonly asOf: LocalDate.LocalDate
    readonly from: number
    readonly to: number
  }
): Either.Either<ReadonlyArray<Change>, Scorecard.ScorecardError> => {
  const read = (knownAt: number) =>
    Scorecard.make(Ledger.fold(events, { knownAt }), { unit: query.unit, catalog: query.catalog, asOf: query.asOf })
  // What was not yet recorded at the first time (the unit, the catalog) reads as an empty scorecard.
  const earlier = Either.getOrUndefined(read(query.from))
  return read(query.to).pipe(
    Either.map((b) => {
      const items = (s: Scorecard.Scorecard) =>
        new Map([...s.criteria.flatMap((c) => c.indicators), ...s.conditions].map((i) => [i.code, i]))
      const before = earlier === undefined ? new Map<string, Scorecard.ItemScore>() : items(earlier)
      const after = items(b)
      const between = events.filter((r) => r.recordedAt > query.from && r.recordedAt <= query.to)
      const out: Array<Change> = []
      for (const [code, y] of after) {
        const x = before.get(code)
        const xs = { status: x?.status ?? ("NoData" as const), entry: x?.evidence?.entry.entry }
        const ys = { status: y.status, entry: y.evidence?.entry.entry }
        if (xs.status === ys.status && xs.entry === ys.entry) continue
        out.push({
          code,
          before: xs,
          after: ys,
          causes: replay(between, { _tag: "Indicator", unit: query.unit, catalog: query.catalog, code })
        })
      }
      return out
    })
  )
}
