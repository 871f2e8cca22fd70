/**
 * The commands of the core, wired to the event store: each loads what its decision needs (the hierarchy, the
 * catalog versions, other units' recognitions) and hands over to the {@link CommandHandler}.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { type Actor, type AssessmentPolicy, defaultAssessmentPolicy } from "./Actor.js"
import type * as Catalog from "./Catalog.js"
import * as CatalogSet from "./CatalogSet.js"
import * as CommandHandler from "./CommandHandler.js"
import * as Commitment from "./Commitment.js"
import * as Dossier from "./Dossier.js"
import * as Evidence from "./Evidence.js"
import * as Hierarchy from "./Hierarchy.js"
import * as Recognition from "./Recognition.js"
import type { UnitId } from "./Unit.js"

/**
 * How a command is handled: an idempotency key, and the stream version the caller last read (see
 * `CommandHandler.handle`).
 *
 * @since 0.1.0
 */
export interface Handling {
  readonly idempotencyKey?: string
  readonly expectedVersion?: number
}

const handling = (options: Handling | undefined) => ({
  ...(options?.idempotencyKey === undefined ? {} : { idempotencyKey: options.idempotencyKey }),
  ...(options?.expectedVersion === undefined ? {} : { expectedVersion: options.expectedVersion })
})

/**
 * Reads the hierarchy.
 *
 * @since 0.1.0
 */
export const loadHierarchy = Effect.map(CommandHandler.load(Hierarchy.decider, Hierarchy.streamId), (s) => s.state)

/**
 * Reads the published versions of a catalog.
 *
 * @since 0.1.0
 */
export const loadCatalog = (id: Catalog.CatalogId) =>
  Effect.map(CommandHandler.load(CatalogSet.decider, CatalogSet.streamId(id)), (s) => s.state)

/**
 * Publishes a catalog version (idempotent; a different text under the same version is rejected).
 *
 * @since 0.1.0
 */
export const publishCatalog = (catalog: Catalog.Catalog, by: Actor, options?: Handling) =>
  CommandHandler.handle({
    ...handling(options),
    decider: CatalogSet.decider,
    stream: CatalogSet.streamId(catalog.id),
    command: new CatalogSet.PublishCatalog({ catalog, by }),
    context: () => Effect.void
  })

/**
 * Changes the hierarchy.
 *
 * @since 0.1.0
 */
export const changeHierarchy = (command: Hierarchy.Command, options?: Handling) =>
  CommandHandler.handle({
    ...handling(options),
    decider: Hierarchy.decider,
    stream: Hierarchy.streamId,
    command,
    context: () => Effect.void
  })

/**
 * Loads the recognition states of a unit and of every unit that merged into it, transitively.
 *
 * @since 0.1.0
 */
export const loadRecognitions = (hierarchy: Hierarchy.State, unit: UnitId) =>
  Effect.gen(function* () {
    const states = new Map<UnitId, Recognition.State>()
    const queue = [unit]
    while (queue.length > 0) {
      const u = queue.pop()!
      if (states.has(u)) continue
      states.set(u, (yield* CommandHandler.load(Recognition.decider, Recognition.streamId(u))).state)
      for (const m of hierarchy.units.get(u)?.mergesIn ?? []) queue.push(...m.merged)
    }
    return states as ReadonlyMap<UnitId, Recognition.State>
  })

/**
 * Grants or revokes a recognition.
 *
 * @since 0.1.0
 */
export const recognise = (command: Recognition.Command, options?: Handling) =>
  CommandHandler.handle({
    ...handling(options),
    decider: Recognition.decider,
    stream: Recognition.streamId(command.unit),
    command,
    context: (own) =>
      Effect.gen(function* () {
        const hierarchy = yield* loadHierarchy
        const states = new Map(yield* loadRecognitions(hierarchy, command.unit))
        states.set(command.unit, own)
        return {
          hierarchy,
          holds: (u, s, d) => Recognition.holdsAt(hierarchy, (x) => states.get(x), u, s, d)
        } satisfies Recognition.Context
      })
  })

const catalogOf = (command: Evidence.Command, state: Evidence.State): Catalog.CatalogId | undefined => {
  switch (command._tag) {
    case "RecordEvidence":
    case "AssessIndicator":
      return command.catalog
    case "CorrectEvidence":
    case "RetractEvidence": {
      const entry = command._tag === "CorrectEvidence" ? command.corrects : command.entry
      const chain = state.chains.get(state.entryChain.get(entry) ?? "")
      return chain?.catalog
    }
    case "WithdrawAssessment":
      return state.assessments.get(command.assessment)?.event.catalog
  }
}

/**
 * Records, corrects or retracts evidence, or assesses an indicator.
 *
 * @since 0.1.0
 */
export const evidence = (
  command: Evidence.Command,
  options?: Handling & { readonly assessmentPolicy?: AssessmentPolicy }
) =>
  CommandHandler.handle({
    ...handling(options),
    decider: Evidence.decider,
    stream: Evidence.streamId(command.unit),
    command,
    context: (state) =>
      Effect.gen(function* () {
        const hierarchy = yield* loadHierarchy
        const id = catalogOf(command, state)
        const catalogs = id === undefined ? undefined : yield* loadCatalog(id)
        return {
          hierarchy,
          catalogFor: (c, unit, date) =>
            catalogs === undefined
              ? undefined
              : CatalogSet.versionFor(
                  catalogs.versions.values(),
                  c,
                  CatalogSet.provinceOf(hierarchy, unit, date),
                  date
                ),
          assessmentPolicy: options?.assessmentPolicy ?? defaultAssessmentPolicy
        } satisfies Evidence.Context
      })
  })

/**
 * Makes, updates, fulfils, extends or withdraws a commitment.
 *
 * @since 0.1.0
 */
export const commitment = (command: Commitment.Command, options?: Handling) =>
  CommandHandler.handle({
    ...handling(options),
    decider: Commitment.decider,
    stream: Commitment.streamId(command.commitment),
    command,
    context: () => Effect.map(loadHierarchy, (hierarchy) => ({ hierarchy }) satisfies Commitment.Context)
  })

/**
 * Takes a step of a recognition dossier. Recognising grants the unit's recognition, and revoking revokes it, in the
 * same transaction as the dossier's event.
 *
 * @since 0.1.0
 */
export const dossier = (command: Dossier.Command, options?: Handling & { readonly policy?: Dossier.WorkflowPolicy }) =>
  CommandHandler.handle({
    ...handling(options),
    decider: Dossier.decider,
    stream: Dossier.streamId(command.dossier),
    command,
    context: (state) =>
      Effect.map(loadHierarchy, (hierarchy) => ({
        hierarchy,
        policy: options?.policy ?? Dossier.defaultWorkflowPolicy,
        opened: state.opened
      })),
    alongside: (events, context) =>
      Effect.gen(function* () {
        const opened = context.opened ?? events.find((e): e is Dossier.DossierOpened => e._tag === "DossierOpened")
        const out: Array<{ stream: string; expected: number; events: ReadonlyArray<Recognition.Event> }> = []
        for (const e of events) {
          if (opened === undefined || (e._tag !== "DossierRecognised" && e._tag !== "DossierRevoked")) continue
          const stream = Recognition.streamId(opened.unit)
          const { state, version } = yield* CommandHandler.load(Recognition.decider, stream)
          const states = new Map(yield* loadRecognitions(context.hierarchy, opened.unit))
          states.set(opened.unit, state)
          const recognitionContext: Recognition.Context = {
            hierarchy: context.hierarchy,
            holds: (u, s, d) => Recognition.holdsAt(context.hierarchy, (x) => states.get(x), u, s, d)
          }
          const command =
            e._tag === "DossierRecognised"
              ? new Recognition.GrantRecognition({
                  recognition: e.recognition,
                  unit: opened.unit,
                  standard: opened.standard,
                  catalog: opened.catalog,
                  decision: e.decision,
                  effective: e.effective,
                  by: e.by
                })
              : new Recognition.RevokeRecognition({
                  unit: opened.unit,
                  standard: opened.standard,
                  decision: e.decision,
                  reason: e.reason,
                  effective: e.effective,
                  by: e.by
                })
          const decided = Recognition.decide(command, state, recognitionContext)
          if (Either.isLeft(decided)) return yield* Effect.fail(decided.left)
          out.push({ stream, expected: version, events: decided.right })
        }
        return out
      })
  })
