/**
 * The handlers of the API: each endpoint checks who calls, hands over to the core's commands and projections, and
 * answers with the contract's views and problems. No domain rule lives here.
 *
 * @since 0.1.0
 */
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import type * as SqlClient from "@effect/sql/SqlClient"
import {
  Audit,
  Catalog,
  CatalogSet,
  Commands,
  Commitment,
  Commitments,
  Dossier,
  EventStore,
  Events,
  Evidence,
  Hierarchy,
  type Ledger,
  LocalDate,
  Progress,
  Recognition,
  Rollup,
  Scorecard,
  Subscription,
  type Unit
} from "@ntm/core"
import * as SqlEventStore from "@ntm/sql/SqlEventStore"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as Access from "./Access.js"
import { Api, Authentication, CurrentPrincipal } from "./Api.js"
import * as Principal from "./Principal.js"
import * as Problem from "./Problem.js"
import { ReadModel } from "./ReadModel.js"
import { makeFailureThrottle, Tokens } from "./Tokens.js"
import * as Views from "./Views.js"

// ---------------------------------------------------------------------------------------------------------------
// Configuration and shared helpers
// ---------------------------------------------------------------------------------------------------------------

/**
 * What a province may set: the access matrix, how often the event feed looks for new events, and how many failed
 * authentications an address may make.
 *
 * @since 0.1.0
 */
export class HandlerOptions extends Context.Reference<HandlerOptions>()("@ntm/http/HandlerOptions", {
  defaultValue: () => ({
    matrix: Access.defaultMatrix as Access.Matrix,
    /** Deadlines by dossier stage; none by default (the limits of 18/2022 were not in hand). */
    deadlines: {} as Dossier.DeadlinePolicy,
    pollInterval: Duration.millis(200) as Duration.DurationInput,
    /**
     * What one read may cost: its time (over it, 503 `OverTimeBudget`; the event feed and the chain verification
     * are exempt), and the events an "as known at" fold may visit (over it, 422 `FoldOverBudget`). Defaults for a
     * deployment to set, not limits found by a test: 30 s, and 2,000,000 events (a fold builds a second ledger beside
     * the server's own, about 480 bytes an event by docs/performance.md: about 1 GB at the budget).
     */
    budget: { time: Duration.seconds(30) as Duration.DurationInput, foldEvents: 2_000_000 },
    /** Failed authentications a client address may make in a window before it is refused (429) until it ends. */
    authFailures: { limit: 10, window: Duration.minutes(1) as Duration.DurationInput },
    heartbeat: Duration.seconds(15) as Duration.DurationInput
  })
}) {}

const today = Effect.map(Clock.currentTimeMillis, LocalDate.fromEpochMillis)
const dateOr = (d: LocalDate.LocalDate | undefined) => (d === undefined ? today : Effect.succeed(d))

const notFoundTags = new Set([
  "UnknownUnit",
  "UnknownEntry",
  "UnknownDossier",
  "UnknownCommitment",
  "UnknownAssessment",
  "UnknownCatalogVersion"
])
const conflictTags = new Set([
  "StreamVersionConflict",
  "EntryConflict",
  "DossierConflict",
  "CommitmentConflict",
  "RecognitionConflict",
  "RecognitionHeldByDossier",
  "DossierAlreadyOpen",
  "CatalogVersionConflict",
  "UnitAlreadyEstablished"
])
const forbiddenTags = new Set([
  "RoleNotPermitted",
  "OutOfScope",
  "UnitRequired",
  "StepNotPermitted",
  "AssessmentNotPermitted"
])
const serverTags = new Set(["EventStoreError", "TokenStoreError", "SqlError"])

const facts = (e: object): Record<string, unknown> =>
  Object.fromEntries(Object.entries(e).filter(([k]) => k !== "cause" && k !== "_tag" && k !== "stack"))

/**
 * A failure of the core or the store as a problem. A version conflict is 412 when the caller named the version
 * (`If-Match`), 409 otherwise.
 *
 * @since 0.1.0
 */
export const toProblem = (e: unknown, options?: { readonly ifMatch?: boolean }): Problem.Problem => {
  if (Problem.isProblem(e)) return e
  const tag = typeof e === "object" && e !== null && "_tag" in e ? String(e._tag) : "Unknown"
  const detail = e instanceof Error ? e.message : String(e)
  const f = typeof e === "object" && e !== null ? facts(e) : undefined
  if (e instanceof Events.EventDecodeError) return unreadableProblem(e)
  if (tag === "StreamVersionConflict" && options?.ifMatch === true)
    return Problem.make("PreconditionFailed", tag, detail, f)
  if (notFoundTags.has(tag)) return Problem.make("NotFound", tag, detail, f)
  if (conflictTags.has(tag)) return Problem.make("Conflict", tag, detail, f)
  if (forbiddenTags.has(tag)) return Problem.make("Forbidden", tag, detail, f)
  if (serverTags.has(tag) || tag === "Unknown")
    return Problem.make("ServerError", tag, "Lỗi máy chủ / server error: the request was not completed")
  return Problem.make("Unprocessable", tag, detail, f)
}

const problems = <A, E, R>(
  effect: Effect.Effect<A, E, R>,
  options?: { readonly ifMatch?: boolean }
): Effect.Effect<A, Problem.Problem, R> =>
  Effect.catchAll(effect, (e): Effect.Effect<never, Problem.Problem> => {
    const p = toProblem(e, options)
    return p._tag === "ServerError"
      ? Effect.zipRight(Effect.logError("Yêu cầu thất bại / request failed", Cause.fail(e)), Effect.fail(p))
      : Effect.fail(p)
  })

/**
 * A stored event that does not decode, as a problem: the read or write that needs its stream cannot be answered
 * (503), and the problem names the event.
 *
 * @since 0.1.0
 */
export const unreadableProblem = (e: Events.EventDecodeError): Problem.Unavailable =>
  Problem.make(
    "Unavailable",
    "UnreadableEvent",
    `Dữ liệu cần cho yêu cầu này có một sự kiện không đọc được (${e.stream}, vị trí ${e.position}) / a stored event this request needs does not decode: ${e.type} v${e.version} at position ${e.position} of ${e.stream}: ${e.reason.slice(0, 500)}`,
    { stream: e.stream, position: e.position, type: e.type, version: e.version, reason: e.reason.slice(0, 500) }
  )

/** The read model's ledger, up to date. */
const currentLedger = problems(Effect.flatMap(ReadModel, (m) => m.current))

/**
 * The ledger, up to date, for a read that needs the streams the test picks: refused (503, naming the event) when
 * one of them holds an event that does not decode. Reads that need none of them are answered as usual.
 */
const ledgerFor = (needs: (stream: string) => boolean) =>
  Effect.gen(function* () {
    const model = yield* ReadModel
    const ledger = yield* problems(model.current)
    const bad = model.unreadableIn(needs)
    if (bad !== undefined) return yield* Effect.fail(unreadableProblem(bad))
    return ledger
  })

/** The streams a read about a unit needs: the hierarchy, the criteria sets, and the unit's (and, with `within`,
 * its descendants') evidence and recognitions. */
const unitStreams =
  (unit: Unit.UnitId, within = false) =>
  (stream: string): boolean =>
    stream === Hierarchy.streamId ||
    stream.startsWith("Catalog-") ||
    [Evidence.streamId(unit), Recognition.streamId(unit)].some((s) =>
      within ? stream === s || stream.startsWith(`${s}/`) : stream === s
    )

const catalogStreams = (stream: string) => stream.startsWith("Catalog-")
const hierarchyOnly = (stream: string) => stream === Hierarchy.streamId || stream.startsWith("Catalog-")
const category = (prefix: string) => (stream: string) => hierarchyOnly(stream) || stream.startsWith(prefix)

/** No such unit on a date. */
const unknownUnit = (unit: Unit.UnitId, date: LocalDate.LocalDate) =>
  Problem.make("NotFound", "UnknownUnit", `Không có đơn vị ${unit} vào ngày ${date} / no unit ${unit} on ${date}`)

/** Sets the response's `ETag` to a stream version. */
const etag = (version: number) =>
  HttpApp.appendPreResponseHandler((_req, res) =>
    Effect.succeed(HttpServerResponse.setHeader(res, "etag", `"${version}"`))
  )

/**
 * The version an `If-Match` header names: `"12"`, `W/"12"` or `12`.
 *
 * @since 0.1.0
 */
export const parseIfMatch = (header: string | undefined): Either.Either<number | undefined, Problem.BadRequest> => {
  if (header === undefined) return Either.right(undefined)
  const m = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header)
  return m === null
    ? Either.left(
        Problem.make(
          "BadRequest",
          "InvalidIfMatch",
          `If-Match phải là phiên bản đã đọc, ví dụ "12" / If-Match must name the version read, e.g. "12": ${header.slice(0, 100)}`
        )
      )
    : Either.right(Number(m[1]))
}

/**
 * The caller as the actor its writes record. Who may write what is the commands' to decide (`Commands.authorize`,
 * on the state they decide on); a read that is not open to every role checks the role here, with the same matrix.
 */
const caller = Effect.map(CurrentPrincipal, Principal.toActor)

const authorize = (action: Access.Action) =>
  Effect.gen(function* () {
    const actor = yield* caller
    const { matrix } = yield* HandlerOptions
    const refusal = Access.check(matrix, actor, action)
    if (Either.isLeft(refusal)) return yield* Effect.fail(toProblem(refusal.left))
    return actor
  })

/** Builds a core command from a body and the caller. */
const build = <C>(
  classes: Record<string, new (props: never) => C>,
  payload: { readonly _tag: string },
  by: unknown
) => {
  const { _tag, ...rest } = payload
  const Cls = classes[_tag]!
  return new Cls({ ...rest, by } as never)
}

const encoder = new TextEncoder()

/** A view encoded once as JSON bytes, so that a memoised answer is sent without encoding it again. */
const jsonBytes = <A, I>(schema: Schema.Schema<A, I>, value: A) =>
  Effect.map(Schema.encode(schema)(value), (encoded) => encoder.encode(JSON.stringify(encoded)))

/**
 * Writes to one stream from this server take turns (64 locks, by the stream's hash), so that they do not collide
 * and retry among themselves; writers in other processes are still caught by the expected version.
 */
const streamLocks = Array.from({ length: 64 }, () => Effect.unsafeMakeSemaphore(1))
const streamLock = (stream: string) => {
  let h = 0
  for (let i = 0; i < stream.length; i++) h = (Math.imul(h, 31) + stream.charCodeAt(i)) | 0
  return streamLocks[(h >>> 0) % streamLocks.length]!
}

/**
 * An answer computed once per state of the log (and recording time asked), kept as encoded JSON bytes: a query
 * asked again before anything is recorded is answered without computing or encoding it again.
 */
const memoJson = <A, I, E>(
  key: string,
  needs: (stream: string) => boolean,
  knownAt: number | undefined,
  schema: Schema.Schema<A, I>,
  compute: (ledger: Ledger.Ledger) => Effect.Effect<A, E>
) =>
  Effect.gen(function* () {
    const model = yield* ReadModel
    yield* ledgerFor(needs)
    const body = yield* problems(
      model.memo(`${key}\t${knownAt ?? ""}`, (current) =>
        Effect.gen(function* () {
          const { budget } = yield* HandlerOptions
          const ledger =
            knownAt === undefined ? current : yield* model.knownAt(knownAt, { maxEvents: budget.foldEvents })
          return yield* jsonBytes(schema, yield* compute(ledger))
        })
      )
    )
    return HttpServerResponse.uint8Array(body, { contentType: "application/json" })
  })

/**
 * Runs a write: parses `If-Match`, passes the idempotency key, and answers with the events and the stream version
 * (also as the `ETag`).
 */
const write = <E, R>(
  headers: { readonly "if-match"?: string | undefined; readonly "idempotency-key"?: string | undefined },
  stream: string,
  run: (
    handling: Commands.Handling
  ) => Effect.Effect<{ readonly events: ReadonlyArray<Events.DomainEvent>; readonly streamVersion: number }, E, R>
) =>
  Effect.gen(function* () {
    const expectedVersion = yield* parseIfMatch(headers["if-match"])
    const key = headers["idempotency-key"]
    // A key names one caller's command on one stream: the same key from another caller, or on another stream, is
    // another command (the store's keys are global). A retry of the request answers what it answered first; the key
    // with another request is refused (422).
    const principal = yield* CurrentPrincipal
    const { matrix } = yield* HandlerOptions
    const handling: Commands.Handling = {
      matrix,
      ...(expectedVersion === undefined ? {} : { expectedVersion }),
      ...(key === undefined ? {} : { idempotencyKey: JSON.stringify([principal.id, stream, key]) })
    }
    const model = yield* ReadModel
    const outcome = yield* problems(
      streamLock(stream)
        .withPermits(1)(run(handling))
        .pipe(
          // The store names its scoped key; the caller is told the key it sent.
          Effect.mapError((e) =>
            key !== undefined && typeof e === "object" && e !== null && "_tag" in e && e._tag === "IdempotencyKeyReused"
              ? Problem.make(
                  "Unprocessable",
                  "IdempotencyKeyReused",
                  `Khóa chống lặp "${key}" đã dùng cho một yêu cầu khác / the Idempotency-Key "${key}" was used for another request`,
                  { key }
                )
              : e
          )
        ),
      { ifMatch: expectedVersion !== undefined }
    ).pipe(Effect.ensuring(model.invalidate))
    yield* etag(outcome.streamVersion)
    return { stream, streamVersion: outcome.streamVersion, events: outcome.events } satisfies Views.WriteResult
  })

// ---------------------------------------------------------------------------------------------------------------
// Authentication
// ---------------------------------------------------------------------------------------------------------------

/**
 * Bearer tokens checked against the token store.
 *
 * @since 0.1.0
 */
export const AuthenticationLive = Layer.effect(
  Authentication,
  Effect.map(Tokens, (tokens) => {
    const throttle = makeFailureThrottle()
    return Authentication.of({
      bearer: (token) =>
        Effect.gen(function* () {
          const request = yield* HttpServerRequest.HttpServerRequest
          const client = Option.getOrElse(request.remoteAddress, () => "unknown")
          const { authFailures } = yield* HandlerOptions
          const options = { limit: authFailures.limit, window: Duration.toMillis(authFailures.window) }
          const now = yield* Clock.currentTimeMillis
          const wait = throttle.retryAfter(client, now, options)
          if (wait !== undefined) {
            yield* HttpApp.appendPreResponseHandler((_req, res) =>
              Effect.succeed(HttpServerResponse.setHeader(res, "retry-after", String(wait)))
            )
            return yield* Effect.fail(
              Problem.make(
                "TooManyRequests",
                "TooManyFailedAuthentications",
                `Quá nhiều lần xác thực sai từ địa chỉ này; thử lại sau ${wait} giây / too many failed authentications from this address; retry in ${wait} s`,
                { retryAfter: wait }
              )
            )
          }
          // A store that cannot be reached says nothing about the token: 503, never 401 (and not a failure counted).
          const principal = yield* tokens
            .authenticate(Redacted.value(token))
            .pipe(
              Effect.catchAll((e) =>
                Effect.zipRight(
                  Effect.logError("token store unreachable", e),
                  Effect.fail(
                    Problem.make(
                      "Unavailable",
                      "TokenStoreUnavailable",
                      "Không kiểm tra được mã truy cập lúc này, hãy thử lại / the token could not be checked now: try again"
                    )
                  )
                )
              )
            )
          if (principal === undefined) {
            throttle.failed(client, now, options)
            return yield* Effect.fail(
              Problem.make(
                "Unauthorized",
                "InvalidToken",
                "Thiếu mã truy cập, mã sai hoặc đã bị thu hồi / the bearer token is missing, wrong or revoked"
              )
            )
          }
          throttle.succeeded(client)
          return principal
        })
    })
  })
)

// ---------------------------------------------------------------------------------------------------------------
// Groups
// ---------------------------------------------------------------------------------------------------------------

const HealthLive = HttpApiBuilder.group(Api, "health", (handlers) =>
  handlers
    .handle("health", () => Effect.succeed({ status: "ok" as const }))
    .handle("ready", () =>
      Effect.gen(function* () {
        const model = yield* ReadModel
        yield* currentLedger
        const unreadable = model.unreadable()
        return unreadable.length === 0
          ? { status: "ready" as const, position: model.position() }
          : {
              status: "degraded" as const,
              position: model.position(),
              unreadable: unreadable.slice(0, 100).map((e) => ({
                stream: e.stream,
                position: e.position,
                type: e.type,
                version: e.version,
                reason: e.reason.slice(0, 500)
              }))
            }
      })
    )
)

const allVersions = (ledger: Ledger.Ledger) => [...ledger.catalogs.values()].flat()

const findVersion = (ledger: Ledger.Ledger, id: string, version: string) => {
  const c = ledger.catalogs.get(id)?.find((v) => v.version === version)
  return c === undefined
    ? Effect.fail(
        Problem.make(
          "NotFound",
          "UnknownCatalogVersion",
          `Không có bộ tiêu chí ${id} phiên bản ${version} / no catalog ${id} version ${version}`
        )
      )
    : Effect.succeed(c)
}

const CatalogsLive = HttpApiBuilder.group(Api, "catalogs", (handlers) =>
  handlers
    .handle("list", () => Effect.map(ledgerFor(catalogStreams), (l) => allVersions(l).map(Views.catalogVersionSummary)))
    .handle("versions", ({ path }) =>
      Effect.gen(function* () {
        const model = yield* ReadModel
        const ledger = yield* ledgerFor(catalogStreams)
        const versions = ledger.catalogs.get(path.id)
        if (versions === undefined || versions.length === 0)
          return yield* Effect.fail(
            Problem.make("NotFound", "UnknownCatalog", `Không có bộ tiêu chí ${path.id} / no catalog ${path.id}`)
          )
        yield* etag(model.versionOf(CatalogSet.streamId(Catalog.catalogId(path.id))))
        return versions.map(Views.catalogVersionSummary)
      })
    )
    .handle("read", ({ path }) =>
      Effect.flatMap(ledgerFor(catalogStreams), (l) => findVersion(l, path.id, path.version))
    )
    .handle("diff", ({ path, urlParams }) =>
      Effect.gen(function* () {
        const ledger = yield* ledgerFor(catalogStreams)
        const a = yield* findVersion(ledger, path.id, urlParams.from)
        const b = yield* findVersion(ledger, path.id, urlParams.to)
        return Catalog.diff(a, b)
      })
    )
    .handle("publish", ({ payload, headers }) =>
      Effect.gen(function* () {
        const by = yield* caller
        return yield* write(headers, CatalogSet.streamId(payload.id), (h) => Commands.publishCatalog(payload, by, h))
      })
    )
)

const UnitsLive = HttpApiBuilder.group(Api, "units", (handlers) =>
  handlers
    .handle("list", ({ urlParams }) =>
      Effect.gen(function* () {
        const model = yield* ReadModel
        const ledger = yield* ledgerFor(category("Recognition-"))
        const date = yield* dateOr(urlParams.asOf)
        const out: Array<Views.UnitView> = []
        const standards = Views.publishedStandards(ledger)
        for (const id of ledger.hierarchy.units.keys()) {
          const u = Hierarchy.unitAt(ledger.hierarchy, id, date)
          if (u !== undefined && (urlParams.kind === undefined || u.kind === urlParams.kind))
            out.push(Views.unitView(u, Views.standardsHeld(ledger, id, date, standards)))
        }
        yield* etag(model.versionOf(Hierarchy.streamId))
        return out
      })
    )
    .handle("read", ({ path, urlParams }) =>
      Effect.gen(function* () {
        const ledger = yield* ledgerFor(unitStreams(path.unit))
        const date = yield* dateOr(urlParams.asOf)
        const h = ledger.hierarchy
        const u = Hierarchy.unitAt(h, path.unit, date)
        if (u === undefined) return yield* Effect.fail(unknownUnit(path.unit, date))
        return {
          unit: Views.unitView(u, Views.standardsHeld(ledger, path.unit, date)),
          asOf: date,
          ancestors: Hierarchy.ancestorsAt(h, path.unit, date).flatMap((a) => {
            const v = Hierarchy.unitAt(h, a, date)
            return v === undefined ? [] : [Views.unitView(v)]
          }),
          children: Hierarchy.childrenAt(h, path.unit, date).map((c) => Views.unitView(c))
        }
      })
    )
    .handle("change", ({ payload, headers }) =>
      Effect.gen(function* () {
        const command = build<Hierarchy.Command>(hierarchyClasses, payload, yield* caller)
        return yield* write(headers, Hierarchy.streamId, (h) => Commands.changeHierarchy(command, h))
      })
    )
)

/** The classes of a command union, by tag: the union's own members, so that none is missed. */
const classesOf = <C>(union: { readonly members: ReadonlyArray<{ readonly _tag: string }> }) =>
  Object.fromEntries(union.members.map((m) => [m._tag, m])) as unknown as Record<string, new (props: never) => C>

const hierarchyClasses = classesOf<Hierarchy.Command>(Hierarchy.Command)
const evidenceClasses = classesOf<Evidence.Command>(Evidence.Command)
const commitmentClasses = classesOf<Commitment.Command>(Commitment.Command)
const dossierClasses = classesOf<Dossier.Command>(Dossier.Command)
const recognitionClasses = classesOf<Recognition.Command>(Recognition.Command)

const EvidenceLive = HttpApiBuilder.group(Api, "evidence", (handlers) =>
  handlers
    .handle("read", ({ path }) =>
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const stream = Evidence.streamId(path.unit)
        const recorded = yield* problems(store.readStream(stream))
        const events: Array<Evidence.Event> = []
        for (const r of recorded) {
          const d = Events.decode(r)
          if (Either.isLeft(d)) return yield* Effect.fail(toProblem(d.left))
          events.push(d.right.event as Evidence.Event)
        }
        const streamVersion = recorded.at(-1)?.streamVersion ?? 0
        yield* etag(streamVersion)
        return { stream, streamVersion, events }
      })
    )
    .handle("record", ({ payload, headers }) =>
      Effect.gen(function* () {
        const command = build<Evidence.Command>(evidenceClasses, payload, yield* caller)
        return yield* write(headers, Evidence.streamId(payload.unit), (h) => Commands.evidence(command, h))
      })
    )
)

const CommitmentsLive = HttpApiBuilder.group(Api, "commitments", (handlers) =>
  handlers
    .handle("list", ({ urlParams }) =>
      Effect.gen(function* () {
        const ledger = yield* ledgerFor(category("Commitment-"))
        const date = yield* dateOr(urlParams.asOf)
        return Commitments.asOf(ledger, date, urlParams.unit === undefined ? {} : { within: urlParams.unit }).map(
          Views.commitmentView
        )
      })
    )
    .handle("read", ({ path, urlParams }) =>
      Effect.gen(function* () {
        const model = yield* ReadModel
        const stream = Commitment.streamId(path.commitment)
        const ledger = yield* ledgerFor((s) => hierarchyOnly(s) || s === stream)
        const date = yield* dateOr(urlParams.asOf)
        const state = ledger.commitments.get(path.commitment)
        const view = state === undefined ? undefined : Commitment.viewAt(state, date)
        if (view === undefined)
          return yield* Effect.fail(
            Problem.make(
              "NotFound",
              "UnknownCommitment",
              `Không có cam kết ${path.commitment} vào ngày ${date} / no commitment ${path.commitment} on ${date}`
            )
          )
        yield* etag(model.versionOf(Commitment.streamId(path.commitment)))
        return Views.commitmentView(view)
      })
    )
    .handle("command", ({ payload, headers }) =>
      Effect.gen(function* () {
        const command = build<Commitment.Command>(commitmentClasses, payload, yield* caller)
        return yield* write(headers, Commitment.streamId(payload.commitment), (h) => Commands.commitment(command, h))
      })
    )
)

const DossiersLive = HttpApiBuilder.group(Api, "dossiers", (handlers) =>
  handlers
    .handle("list", ({ urlParams }) =>
      Effect.gen(function* () {
        const ledger = yield* ledgerFor(category("Dossier-"))
        const date = yield* dateOr(urlParams.asOf)
        const { deadlines } = yield* HandlerOptions
        const out: Array<Views.DossierView> = []
        for (const [id, state] of ledger.dossiers) {
          const v = Views.dossierView(id, state, date, deadlines)
          if (v === undefined) continue
          if (
            urlParams.unit !== undefined &&
            !Hierarchy.isWithin(ledger.hierarchy, v.opened.unit, urlParams.unit, date)
          )
            continue
          out.push(v)
        }
        return out
      })
    )
    .handle("read", ({ path, urlParams }) =>
      Effect.gen(function* () {
        const model = yield* ReadModel
        const stream = Dossier.streamId(path.dossier)
        const ledger = yield* ledgerFor((s) => hierarchyOnly(s) || s === stream)
        const date = yield* dateOr(urlParams.asOf)
        const state = ledger.dossiers.get(path.dossier)
        const { deadlines } = yield* HandlerOptions
        const v = state === undefined ? undefined : Views.dossierView(path.dossier, state, date, deadlines)
        if (v === undefined)
          return yield* Effect.fail(
            Problem.make(
              "NotFound",
              "UnknownDossier",
              `Không có hồ sơ ${path.dossier} vào ngày ${date} / no dossier ${path.dossier} on ${date}`
            )
          )
        yield* etag(model.versionOf(Dossier.streamId(path.dossier)))
        return v
      })
    )
    .handle("step", ({ payload, headers }) =>
      Effect.gen(function* () {
        const command = build<Dossier.Command>(dossierClasses, payload, yield* caller)
        return yield* write(headers, Dossier.streamId(payload.dossier), (h) => Commands.dossier(command, h))
      })
    )
    .handle("recognise", ({ payload, headers }) =>
      Effect.gen(function* () {
        const command = build<Recognition.Command>(recognitionClasses, payload, yield* caller)
        return yield* write(headers, Recognition.streamId(payload.unit), (h) => Commands.recognise(command, h))
      })
    )
)

const ScorecardsLive = HttpApiBuilder.group(Api, "scorecards", (handlers) =>
  handlers
    .handle("scorecard", ({ path, urlParams }) =>
      Effect.gen(function* () {
        const asOf = yield* dateOr(urlParams.asOf)
        return yield* memoJson(
          `scorecard\t${path.unit}\t${urlParams.catalog}\t${asOf}`,
          unitStreams(path.unit),
          urlParams.knownAt,
          Views.ScorecardView,
          (ledger) =>
            Effect.map(
              Scorecard.make(ledger, { unit: path.unit, catalog: Catalog.catalogId(urlParams.catalog), asOf }),
              (card) => Views.scorecardView(card, urlParams.knownAt)
            )
        )
      })
    )
    .handle("rollup", ({ path, urlParams }) =>
      Effect.gen(function* () {
        const asOf = yield* dateOr(urlParams.asOf)
        return yield* memoJson(
          `rollup\t${path.unit}\t${asOf}\t${urlParams.depth ?? ""}`,
          (s) => unitStreams(path.unit, true)(s) || s.startsWith("Dossier-"),
          urlParams.knownAt,
          Views.RollupView,
          (ledger) => {
            const r = Rollup.make(
              ledger,
              path.unit,
              asOf,
              urlParams.depth === undefined ? {} : { depth: urlParams.depth }
            )
            return r === undefined ? Effect.fail(unknownUnit(path.unit, asOf)) : Effect.succeed(Views.rollupView(r))
          }
        )
      })
    )
    .handle("progress", ({ path, urlParams }) =>
      Effect.gen(function* () {
        const period = Progress.parsePeriod(urlParams.period)
        if (Either.isLeft(period))
          return yield* Effect.fail(
            Problem.make("BadRequest", "InvalidPeriod", period.left.message, facts(period.left))
          )
        return yield* memoJson(
          `progress\t${path.unit}\t${urlParams.catalog}\t${period.right.label}`,
          unitStreams(path.unit),
          urlParams.knownAt,
          Views.ProgressView,
          (ledger) =>
            Effect.map(
              Progress.report(ledger, {
                unit: path.unit,
                catalog: Catalog.catalogId(urlParams.catalog),
                period: period.right
              }),
              Views.progressView
            )
        )
      })
    )
    .handle("history", ({ path, urlParams }) =>
      Effect.gen(function* () {
        if ((urlParams.catalog === undefined) !== (urlParams.code === undefined))
          return yield* Effect.fail(
            Problem.make(
              "BadRequest",
              "IncompleteIndicator",
              "Cần cả catalog và code để xem lịch sử một chỉ tiêu / give both catalog and code for an indicator's history"
            )
          )
        yield* ledgerFor((s) => unitStreams(path.unit)(s) || s.startsWith("Dossier-") || s.startsWith("Commitment-"))
        const events = yield* problems(Effect.flatMap(ReadModel, (m) => m.events))
        const subject: Audit.Subject =
          urlParams.catalog !== undefined && urlParams.code !== undefined
            ? {
                _tag: "Indicator",
                unit: path.unit,
                catalog: Catalog.catalogId(urlParams.catalog),
                code: urlParams.code
              }
            : { _tag: "Unit", unit: path.unit }
        return Audit.replay(events, subject).map(Views.historyLine)
      })
    )
)

/**
 * The units an event concerns. Dossier and commitment streams belong to the unit they were opened or made for:
 * `owners` knows those recorded before the feed started (from the read model) and learns the new ones.
 */
const unitsOf = (r: Events.Recorded, owners: Map<string, Unit.UnitId>): ReadonlyArray<Unit.UnitId> => {
  const e = r.event
  const units: Array<Unit.UnitId> = []
  if (e._tag === "DossierOpened") owners.set(r.stream, e.unit)
  if (e._tag === "CommitmentMade") owners.set(r.stream, e.subject.unit)
  const owner = owners.get(r.stream)
  if (owner !== undefined) units.push(owner)
  if ("unit" in e) units.push(e.unit)
  if (e._tag === "UnitsMerged") units.push(e.into, ...e.merged)
  return units
}

const sse = (r: EventStore.RecordedEvent) =>
  encoder.encode(
    `id: ${r.position}\nevent: ${r.type}\ndata: ${JSON.stringify({
      position: r.position,
      stream: r.stream,
      streamVersion: r.streamVersion,
      type: r.type,
      version: r.version,
      recordedAt: r.recordedAt,
      data: r.data
    })}\n\n`
  )

const LogLive = HttpApiBuilder.group(Api, "log", (handlers) =>
  handlers
    .handle("verify", () =>
      Effect.gen(function* () {
        yield* authorize("log.verify")
        const result = yield* problems(SqlEventStore.verify())
        // Without anchors, verify finds only these kinds.
        const faults = result.faults.flatMap((f) =>
          f._tag === "HashMismatch" || f._tag === "PositionJump" || f._tag === "TimeReversed"
            ? [{ _tag: f._tag, position: f.position }]
            : []
        )
        return {
          checked: result.checked,
          ok: result.faults.length === 0,
          ...(faults.length === 0 ? {} : { faults }),
          ...(result.broken === undefined ? {} : { broken: result.broken })
        }
      })
    )
    .handle("events", ({ urlParams, request }) =>
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const { pollInterval, heartbeat } = yield* HandlerOptions
        const lastEventId = Number(request.headers["last-event-id"])
        const after = Number.isSafeInteger(lastEventId) && lastEventId >= 0 ? lastEventId : (urlParams.after ?? 0)
        const unit = urlParams.unit
        const model = yield* ReadModel
        const ledger = yield* problems(model.current)
        const today = yield* dateOr(undefined)
        // A reader scoped to a unit sees what concerns that unit and the units under it (on the event's effective
        // date or today), and nothing else: no other unit's events, nor the actors who recorded them. `?unit=`
        // narrows the feed further; a unit outside the reader's scope is refused.
        const reader = yield* caller
        const scope = reader.unit
        // An officer's role acts for a unit: one without (a token from an earlier build) reads no feed.
        if (scope === undefined && Access.unitRoles.has(reader.role))
          return yield* Effect.fail(toProblem(new Access.UnitRequired({ actor: reader.id, role: reader.role })))
        if (scope !== undefined && unit !== undefined && !Access.sees(ledger.hierarchy, scope, [unit], [today]))
          return yield* Effect.fail(
            Problem.make(
              "Forbidden",
              "OutOfScope",
              `Đơn vị ${unit} nằm ngoài phạm vi ${scope} / unit ${unit} is outside the scope of ${scope}`,
              { unit, scope, date: today }
            )
          )
        const owners = new Map<string, Unit.UnitId>()
        for (const [id, d] of ledger.dossiers)
          if (d.opened !== undefined) owners.set(Dossier.streamId(id), d.opened.unit)
        for (const [id, c] of ledger.commitments)
          if (c.made !== undefined) owners.set(Commitment.streamId(id), c.made.subject.unit)
        // The hierarchy as the feed goes: the read model's, then each change the feed carries after it.
        let hierarchy: Hierarchy.State = ledger.hierarchy
        const events = Subscription.raw({ after, pollInterval }).pipe(
          Stream.filter((r) => {
            if (scope === undefined && unit === undefined) return true
            const d = Events.decode(r)
            if (Either.isLeft(d)) return false
            const e = d.right.event
            if (r.stream === Hierarchy.streamId && r.position > ledger.lastPosition)
              hierarchy = Hierarchy.evolve(hierarchy, e as Hierarchy.Event)
            const units = unitsOf(d.right, owners)
            const dates = [e.effective, today]
            return (
              Access.sees(hierarchy, scope, units, dates) &&
              (unit === undefined || Access.sees(hierarchy, unit, units, dates))
            )
          }),
          Stream.map(sse)
        )
        const beats = Stream.fromSchedule(Schedule.spaced(heartbeat)).pipe(Stream.map(() => encoder.encode(": ♥\n\n")))
        const body = Stream.concat(Stream.make(encoder.encode(": ntm\n\n")), Stream.merge(events, beats)).pipe(
          Stream.provideService(EventStore.EventStore, store),
          Stream.catchAll((e) => Stream.make(encoder.encode(`event: error\ndata: ${JSON.stringify(toProblem(e))}\n\n`)))
        )
        return HttpServerResponse.stream(body, {
          contentType: "text/event-stream",
          headers: { "cache-control": "no-cache", "x-accel-buffering": "no" }
        })
      })
    )
)

/**
 * Every handler of the API. Needs the event store, the SQL client (for the chain verification), the token store
 * and the read model.
 *
 * @since 0.1.0
 */
export const layer = HttpApiBuilder.api(Api).pipe(
  Layer.provide([
    HealthLive,
    CatalogsLive,
    UnitsLive,
    EvidenceLive,
    CommitmentsLive,
    DossiersLive,
    ScorecardsLive,
    LogLive
  ]),
  Layer.provide(AuthenticationLive)
)

/** The SQL client the verification needs, re-exported for the composition root. */
export type Requirements = EventStore.EventStore | SqlClient.SqlClient | Tokens | ReadModel
