/**
 * Records the Tân Yên history into an event store, each fact at the time it was recorded, and reads scorecards
 * back as of any date and as known at any time.
 */
import { type Catalog, Commands, EventStore, Events, Ledger, LocalDate, Scorecard } from "@ntm/core"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Stream from "effect/Stream"
import { actors, history, ids, type Step } from "./History.js"

export { ids }

import * as ReplayClock from "./ReplayClock.js"

type StepError =
  | Effect.Effect.Error<ReturnType<typeof Commands.publishCatalog>>
  | Effect.Effect.Error<ReturnType<typeof Commands.changeHierarchy>>
  | Effect.Effect.Error<ReturnType<typeof Commands.recognise>>
  | Effect.Effect.Error<ReturnType<typeof Commands.evidence>>
  | Effect.Effect.Error<ReturnType<typeof Commands.commitment>>
  | Effect.Effect.Error<ReturnType<typeof Commands.dossier>>
  | Scorecard.ScorecardError

const execute = (step: Step): Effect.Effect<void, StepError, EventStore.EventStore> => {
  switch (step.kind) {
    case "catalog":
      return Effect.asVoid(Commands.publishCatalog(step.catalog, actors.admin))
    case "hierarchy":
      return Effect.asVoid(Commands.changeHierarchy(step.command))
    case "recognition":
      return Effect.asVoid(Commands.recognise(step.command))
    case "evidence":
      return Effect.asVoid(Commands.evidence(step.command))
    case "commitment":
      return Effect.asVoid(Commands.commitment(step.command))
    case "dossier":
      return Effect.asVoid(Commands.dossier(step.command))
  }
}

/**
 * Records the whole history. Facts recorded on the same day are a second apart, in order.
 */
export const record = Effect.gen(function* () {
  const replay = ReplayClock.make()
  let day = ""
  let tick = 0
  for (const step of history) {
    tick = step.recordedOn === day ? tick + 1 : 0
    day = step.recordedOn
    replay.set(LocalDate.toEpochMillis(LocalDate.unsafeMake(step.recordedOn)) + 8 * 3_600_000 + tick * 1000)
    yield* Effect.withClock(execute(step), replay.clock)
  }
  return history.length
})

/** The end of a day (UTC), as a recording time: "as known at" that date. */
export const endOfDay = (date: LocalDate.LocalDate): number => LocalDate.toEpochMillis(date) + 86_400_000 - 1

/**
 * Folds the store into a ledger, optionally only what was recorded by a time.
 */
export const ledger = (knownAt?: number) =>
  Effect.gen(function* () {
    const store = yield* EventStore.EventStore
    const recorded = yield* Stream.runCollect(store.readAll(knownAt === undefined ? {} : { knownAt }))
    const events = Chunk.toReadonlyArray(recorded).map((r) => Either.getOrThrow(Events.decode(r)))
    return Ledger.fold(events)
  })

/**
 * Tân Yên's scorecard against the illustrative advanced-district catalog.
 */
export const scorecard = (asOf: LocalDate.LocalDate, knownAt?: number, catalog: Catalog.CatalogId = ids.catalog) =>
  Effect.flatMap(ledger(knownAt), (l) => Scorecard.make(l, { unit: ids.district, catalog, asOf }))
