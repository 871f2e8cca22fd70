/**
 * A scorecard read from the streams it needs, not from the whole log: the catalog's versions, the hierarchy, the
 * recognitions of the unit, of the units under it and of those that merged into them, and the unit's evidence. For a
 * commune of a large province this reads a few hundred events instead of millions.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as Catalog from "./Catalog.js"
import * as CatalogSet from "./CatalogSet.js"
import { EventStore, type RecordedEvent } from "./EventStore.js"
import * as Events from "./Events.js"
import * as Evidence from "./Evidence.js"
import * as Hierarchy from "./Hierarchy.js"
import * as Ledger from "./Ledger.js"
import type * as LocalDate from "./LocalDate.js"
import * as Recognition from "./Recognition.js"
import * as Scorecard from "./Scorecard.js"
import type { UnitId } from "./Unit.js"

/** @since 0.1.0 */
export interface Query {
  readonly unit: UnitId
  readonly catalog: Catalog.CatalogId
  readonly asOf: LocalDate.LocalDate
  /** A version to score against instead of the one in force on `asOf`. */
  readonly version?: string
  readonly knownAt?: number
}

/**
 * The scorecard of a unit against a criteria set as of a date, optionally as known at a recording time.
 *
 * @since 0.1.0
 */
export const scorecard = (query: Query) => Effect.flatMap(ledgerFor(query), (ledger) => Scorecard.make(ledger, query))

/**
 * The ledger of the streams a unit's scorecard reads (see {@link scorecard}), as known at `knownAt`.
 *
 * @since 0.1.0
 */
export const ledgerFor = (query: Query) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const options = query.knownAt === undefined ? {} : { knownAt: query.knownAt }
    const read = (stream: string) => store.readStream(stream, options)
    const decodeAll = (rs: ReadonlyArray<RecordedEvent>) =>
      Effect.forEach(rs, (r) => {
        const d = Events.decode(r)
        return Either.isLeft(d) ? Effect.fail(d.left) : Effect.succeed(d.right)
      })
    const hierarchyEvents = yield* decodeAll(yield* read(Hierarchy.streamId))
    const hierarchy = Ledger.fold(hierarchyEvents).hierarchy
    // The unit, the units under it on the date, and every unit that merged into any of them.
    const units = new Set<UnitId>([
      query.unit,
      ...Hierarchy.childrenAt(hierarchy, query.unit, query.asOf).map((c) => c.id)
    ])
    const queue = [...units]
    while (queue.length > 0) {
      for (const m of hierarchy.units.get(queue.pop()!)?.mergesIn ?? []) {
        for (const u of m.merged) {
          if (units.has(u)) continue
          units.add(u)
          queue.push(u)
        }
      }
    }
    const streams = [
      CatalogSet.streamId(query.catalog),
      Evidence.streamId(query.unit),
      ...[...units].map(Recognition.streamId)
    ]
    const others = yield* Effect.forEach(streams, read)
    const all = [...hierarchyEvents, ...(yield* decodeAll(others.flat()))].sort((a, b) => a.position - b.position)
    return Ledger.fold(all)
  })
