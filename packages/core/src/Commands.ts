/**
 * The commands of the core, wired to the event store: each loads what its decision needs (the hierarchy, the
 * catalog versions, other units' recognitions) and hands over to the {@link CommandHandler}.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Stream from "effect/Stream"
import * as Access from "./Access.js"
import { type Actor, type AssessmentPolicy, defaultAssessmentPolicy } from "./Actor.js"
import type * as Catalog from "./Catalog.js"
import * as CatalogSet from "./CatalogSet.js"
import * as CommandHandler from "./CommandHandler.js"
import * as Commitment from "./Commitment.js"
import * as Dossier from "./Dossier.js"
import * as EventStore from "./EventStore.js"
import * as Evidence from "./Evidence.js"
import * as Hierarchy from "./Hierarchy.js"
import * as LocalDate from "./LocalDate.js"
import * as Recognition from "./Recognition.js"
import * as Scorecard from "./Scorecard.js"
import * as ScorecardQuery from "./ScorecardQuery.js"
import type { UnitId } from "./Unit.js"

/**
 * How a command is handled: an idempotency key, and the stream version the caller last read (see
 * `CommandHandler.handle`); the access matrix its actor is checked against, and the date it is recorded on.
 *
 * @since 0.1.0
 */
export interface Handling {
  readonly idempotencyKey?: string
  readonly expectedVersion?: number
  /** Who may do what (default `Access.defaultMatrix`; a province may pass its own). */
  readonly matrix?: Access.Matrix
  /** The date the command is recorded on, for the scope check (default: today, by the `Clock`). */
  readonly today?: LocalDate.LocalDate
}

const handling = (options: Handling | undefined) => ({
  ...(options?.idempotencyKey === undefined ? {} : { idempotencyKey: options.idempotencyKey }),
  ...(options?.expectedVersion === undefined ? {} : { expectedVersion: options.expectedVersion })
})

/**
 * Checks that a command's actor may take an action — on a unit, as it stands in the hierarchy the command decides on,
 * on the date recorded and on the date effective (when known) — or fails with the refusal. Every command checks
 * before it decides, inside its attempt, so the check sees the state the append's expected version guards.
 *
 * @since 0.1.0
 */
export const authorize = (
  by: Actor,
  action: Access.Action,
  options: Handling | undefined,
  target?: {
    readonly hierarchy: Hierarchy.State
    readonly unit: UnitId
    readonly effective: LocalDate.LocalDate | undefined
  }
): Effect.Effect<void, Access.Refusal> =>
  Effect.gen(function* () {
    const today = options?.today ?? LocalDate.fromEpochMillis(yield* Clock.currentTimeMillis)
    const decided = Access.check(
      options?.matrix ?? Access.defaultMatrix,
      by,
      action,
      target === undefined
        ? undefined
        : {
            hierarchy: target.hierarchy,
            unit: target.unit,
            dates: target.effective === undefined || target.effective === today ? [today] : [today, target.effective]
          }
    )
    if (Either.isLeft(decided)) return yield* Effect.fail(decided.left)
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
    context: () => authorize(by, "catalog.publish", options)
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
    context: () => authorize(command.by, "hierarchy.change", options)
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
 * Loads the dossiers listed in a unit's index (see `Dossier.indexStreamId`), and the version the index was read at.
 *
 * @since 0.1.0
 */
export const loadUnitDossiers = (unit: UnitId) =>
  Effect.gen(function* () {
    const index = yield* CommandHandler.load(Dossier.index, Dossier.indexStreamId(unit))
    const dossiers = yield* Effect.forEach(index.state, (e) =>
      Effect.map(CommandHandler.load(Dossier.decider, Dossier.streamId(e.dossier)), (d) => d.state)
    )
    return { dossiers, index: index.state, version: index.version }
  })

/**
 * Lists a dossier in its unit's index (idempotent). Every dossier opened by `dossier` is listed as it opens; this
 * lists those opened before the index existed, so that the one-open-dossier check and the refusal of a direct
 * revocation see them too.
 *
 * @since 0.1.0
 */
export const listDossier = (dossier: string, options?: Handling) =>
  Effect.gen(function* () {
    const { state } = yield* CommandHandler.load(Dossier.decider, Dossier.streamId(dossier))
    const opened = state.opened
    if (opened === undefined) return yield* Effect.fail(new Dossier.UnknownDossier({ dossier }))
    return yield* CommandHandler.handle({
      ...handling(options),
      decider: Dossier.index,
      stream: Dossier.indexStreamId(opened.unit),
      command: opened,
      context: () => Effect.void
    })
  })

/**
 * Lists in their units' indexes every dossier the log holds that is not listed yet (dossiers opened by builds before
 * the index existed): a data migration, idempotent, reading the whole log once. Answers how many it listed.
 *
 * @since 0.1.0
 */
export const listAllDossiers = Effect.gen(function* () {
  const store = yield* EventStore.EventStore
  const prefix = Dossier.streamId("")
  const opened = yield* Stream.runCollect(
    store.readAll().pipe(
      Stream.filter((r) => r.type === "DossierOpened" && r.stream.startsWith(prefix)),
      Stream.map((r) => r.stream.slice(prefix.length))
    )
  )
  let listed = 0
  for (const dossier of opened) {
    const outcome = yield* listDossier(dossier)
    listed += outcome.events.length
  }
  return listed
})

/**
 * Grants or revokes a recognition. Revoking a recognition that a dossier granted is refused
 * (`RecognitionHeldByDossier`): it is revoked through the dossier, which revokes both in one transaction.
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
        yield* authorize(command.by, "recognition.write", options, {
          hierarchy,
          unit: command.unit,
          effective: command.effective
        })
        const states = new Map(yield* loadRecognitions(hierarchy, command.unit))
        states.set(command.unit, own)
        const catalogs = command._tag === "GrantRecognition" ? yield* loadCatalog(command.catalog.id) : undefined
        // Every recognition a dossier grants is appended to this stream, so the expected version of the append
        // guards what the dossiers read here said.
        const { dossiers } =
          command._tag === "RevokeRecognition" ? yield* loadUnitDossiers(command.unit) : { dossiers: [] }
        return {
          hierarchy,
          holds: (u, s, d) => Recognition.holdsAt(hierarchy, (x) => states.get(x), u, s, d),
          grantedByDossier: (_, s, d) => Dossier.grantedBy(dossiers, s, d),
          published: (c) => catalogs !== undefined && CatalogSet.isPublished(catalogs, c)
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

/** The date an evidence command is effective on: its own, or that of the entry or assessment it acts on. */
const effectiveOf = (command: Evidence.Command, state: Evidence.State): LocalDate.LocalDate | undefined => {
  switch (command._tag) {
    case "RecordEvidence":
    case "AssessIndicator":
      return command.effective
    case "CorrectEvidence":
    case "RetractEvidence": {
      const entry = command._tag === "CorrectEvidence" ? command.corrects : command.entry
      return state.chains.get(state.entryChain.get(entry) ?? "")?.effective
    }
    case "WithdrawAssessment":
      return state.assessments.get(command.assessment)?.event.effective
  }
}

/**
 * What evidence commands of one unit read to decide: the hierarchy, once; each command's access, on its dates; the
 * versions of each catalog they cite, once per catalog.
 */
const evidenceContext = (
  commands: ReadonlyArray<Evidence.Command>,
  state: Evidence.State,
  options: (Handling & { readonly assessmentPolicy?: AssessmentPolicy }) | undefined
) =>
  Effect.gen(function* () {
    const hierarchy = yield* loadHierarchy
    const catalogs = new Map<Catalog.CatalogId, CatalogSet.State>()
    const unit = commands[0]?.unit
    for (const command of commands) {
      if (command.unit !== unit) return yield* Effect.dieMessage("evidence commands of one unit only")
      const assess = command._tag === "AssessIndicator" || command._tag === "WithdrawAssessment"
      yield* authorize(command.by, assess ? "evidence.assess" : "evidence.record", options, {
        hierarchy,
        unit: command.unit,
        effective: effectiveOf(command, state)
      })
      const id = catalogOf(command, state)
      if (id !== undefined && !catalogs.has(id)) catalogs.set(id, yield* loadCatalog(id))
    }
    return {
      hierarchy,
      catalogFor: (c, u, date) => {
        const set = catalogs.get(c)
        return set === undefined
          ? undefined
          : CatalogSet.versionFor(set.versions.values(), c, CatalogSet.provinceOf(hierarchy, u, date), date)
      },
      assessmentPolicy: options?.assessmentPolicy ?? defaultAssessmentPolicy
    } satisfies Evidence.Context
  })

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
    context: (state) => evidenceContext([command], state, options)
  })

/**
 * Evidence decided a batch at a time: each command against the state the earlier ones leave. One object for every
 * batch, so that the command handler's state cache (keyed by decider) keeps a unit's folded stream between batches.
 */
const batchDecider = {
  initial: Evidence.decider.initial,
  evolve: Evidence.decider.evolve,
  decide: (batch: ReadonlyArray<Evidence.RecordEvidence>, state: Evidence.State, context: Evidence.Context) => {
    const events: Array<Evidence.Event> = []
    let current = state
    for (const command of batch) {
      const decided = Evidence.decider.decide(command, current, context)
      if (Either.isLeft(decided)) return Either.left(decided.left)
      for (const e of decided.right) {
        events.push(e)
        current = Evidence.decider.evolve(current, e)
      }
    }
    return Either.right(events)
  }
}

/**
 * Records a batch of evidence commands of one unit in one append: the hierarchy and catalogs are read once, every
 * command is checked as {@link evidence} checks it (its actor's access on the unit and dates) and decided on the
 * state the ones before it leave, and their events are appended together, or none when any is refused (the batch
 * fails with that command's refusal). A command already satisfied (an entry recorded with the same content)
 * appends nothing, so a batch re-run after an interruption records only what is missing.
 *
 * @since 0.1.0
 */
export const evidenceBatch = (
  commands: ReadonlyArray<Evidence.RecordEvidence>,
  options?: Handling & { readonly assessmentPolicy?: AssessmentPolicy }
) => {
  const unit = commands[0]?.unit
  return CommandHandler.handle({
    ...handling(options),
    decider: batchDecider,
    stream: Evidence.streamId(unit ?? ("" as UnitId)),
    command: commands,
    context: (state) => evidenceContext(commands, state, options)
  })
}

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
    context: (state) =>
      Effect.gen(function* () {
        const hierarchy = yield* loadHierarchy
        // The unit a commitment concerns is the one it was made about, as its own stream records it.
        const unit = command._tag === "MakeCommitment" ? command.subject.unit : state.made?.subject.unit
        yield* authorize(
          command.by,
          "commitment.write",
          options,
          unit === undefined ? undefined : { hierarchy, unit, effective: command.effective }
        )
        const id = command._tag === "MakeCommitment" ? command.subject.catalog : undefined
        const catalogs = id === undefined ? undefined : yield* loadCatalog(id)
        // A fulfilment cites evidence of the commitment's unit or of a unit under it on the date.
        const entries = new Set<string>()
        const subject = state.made?.subject.unit
        if (command._tag === "FulfilCommitment" && command.evidence.length > 0 && subject !== undefined) {
          const under = Hierarchy.descendantsAt(hierarchy, subject, command.effective).map((u) => u.id)
          for (const u of [subject, ...under]) {
            const evidence = yield* CommandHandler.load(Evidence.decider, Evidence.streamId(u))
            for (const entry of evidence.state.entryChain.keys()) entries.add(entry)
          }
        }
        return {
          hierarchy,
          published: (c) => catalogs !== undefined && CatalogSet.isPublished(catalogs, c),
          entryExists: (entry) => entries.has(entry)
        } satisfies Commitment.Context
      })
  })

/**
 * What a dossier step reads from the record: the hierarchy; to open, the catalog version and the unit's other
 * dossiers (its index, whose version the opening appends at); to self-assess, the unit's scorecard as of the step's
 * date, computed from the streams it needs as they stand when read (`knownAt`: the time they were read at).
 */
const dossierContext = (
  command: Dossier.Command,
  state: Dossier.State,
  options: (Handling & { readonly policy?: Dossier.WorkflowPolicy }) | undefined
) =>
  Effect.gen(function* () {
    const hierarchy = yield* loadHierarchy
    // The unit a dossier concerns is the one it was opened for, as its own stream records it.
    const unit = command._tag === "OpenDossier" ? command.unit : state.opened?.unit
    yield* authorize(
      command.by,
      "dossier.step",
      options,
      unit === undefined ? undefined : { hierarchy, unit, effective: command.effective }
    )
    const policy = options?.policy
    let catalogs: ReadonlyMap<string, Catalog.Catalog> = new Map()
    let unitDossiers: ReadonlyArray<Dossier.State> = []
    let index: ReadonlyArray<Dossier.DossierListed> = []
    let indexVersion = 0
    if (command._tag === "OpenDossier" && state.opened === undefined) {
      catalogs = (yield* loadCatalog(command.catalog.id)).versions
      const listed = yield* loadUnitDossiers(command.unit)
      unitDossiers = listed.dossiers
      index = listed.index
      indexVersion = listed.version
    }
    let scorecard: Dossier.Context["scorecard"]
    const opened = state.opened
    if (command._tag === "SubmitSelfAssessment" && opened !== undefined) {
      const knownAt = yield* Clock.currentTimeMillis
      const query = {
        unit: opened.unit,
        catalog: opened.catalog.id,
        version: opened.catalog.version,
        asOf: command.effective,
        knownAt
      }
      const ledger = yield* ScorecardQuery.ledgerFor(query)
      scorecard = Either.map(Scorecard.make(ledger, query), (card) => Dossier.freeze(card, knownAt))
    }
    return {
      hierarchy,
      policy: policy ?? Dossier.defaultWorkflowPolicy,
      catalog: (ref: { readonly id: string; readonly version: string }) =>
        command._tag === "OpenDossier" && ref.id === command.catalog.id ? catalogs.get(ref.version) : undefined,
      unitDossiers,
      scorecard,
      opened,
      index,
      indexVersion
    }
  })

/**
 * Takes a step of a recognition dossier. The self-assessment's frozen scorecard is computed here, from the record;
 * opening a dossier lists it in the unit's index; recognising grants the unit's recognition, and revoking revokes
 * it, in the same transaction as the dossier's event.
 *
 * @since 0.1.0
 */
export const dossier = (command: Dossier.Command, options?: Handling & { readonly policy?: Dossier.WorkflowPolicy }) =>
  CommandHandler.handle({
    ...handling(options),
    decider: Dossier.decider,
    stream: Dossier.streamId(command.dossier),
    command,
    context: (state) => dossierContext(command, state, options),
    alongside: (events, context) =>
      Effect.gen(function* () {
        const opened = context.opened ?? events.find((e): e is Dossier.DossierOpened => e._tag === "DossierOpened")
        const out: Array<{
          stream: string
          expected: number
          events: ReadonlyArray<Recognition.Event | Dossier.DossierListed>
        }> = []
        for (const e of events) {
          if (e._tag === "DossierOpened") {
            const listed = Dossier.index.decide(e, context.index, undefined)
            if (Either.isRight(listed)) {
              out.push({ stream: Dossier.indexStreamId(e.unit), expected: context.indexVersion, events: listed.right })
            }
          }
          if (opened === undefined || (e._tag !== "DossierRecognised" && e._tag !== "DossierRevoked")) continue
          const stream = Recognition.streamId(opened.unit)
          const { state, version } = yield* CommandHandler.load(Recognition.decider, stream)
          const states = new Map(yield* loadRecognitions(context.hierarchy, opened.unit))
          states.set(opened.unit, state)
          // The dossier was opened against a published version; the grant checks it again, as every grant does.
          const catalogs = yield* loadCatalog(opened.catalog.id)
          const recognitionContext: Recognition.Context = {
            hierarchy: context.hierarchy,
            holds: (u, s, d) => Recognition.holdsAt(context.hierarchy, (x) => states.get(x), u, s, d),
            published: (c) => CatalogSet.isPublished(catalogs, c)
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
