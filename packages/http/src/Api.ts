/**
 * The HTTP contract of the NTM service: every endpoint, its path, parameters, body, answers and errors, as an
 * `HttpApi`. It imports no Node code, so a browser or another provincial system can derive a typed client from it
 * with `HttpApiClient.make(Api)`; the handlers and the Node server live apart (`Handlers.ts`, `Server.ts`).
 *
 * - Reads take `asOf` (a date, default today) and, where it makes sense, `knownAt` (what the record said at a
 *   recording time).
 * - Writes take the core's commands as JSON bodies without their actor: the actor is the caller's token.
 *   `If-Match` names the stream version the caller read (the `ETag` of the read); a mismatch answers 412.
 *   `Idempotency-Key` names the command: a retry with the same key appends nothing and answers as the first time.
 * - Errors are problem-details bodies (see `Problem.ts`).
 *
 * @since 0.1.0
 */
import * as HttpApi from "@effect/platform/HttpApi"
import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as HttpApiMiddleware from "@effect/platform/HttpApiMiddleware"
import * as HttpApiSchema from "@effect/platform/HttpApiSchema"
import * as HttpApiSecurity from "@effect/platform/HttpApiSecurity"
import * as OpenApi from "@effect/platform/OpenApi"
import { Catalog, Commitment, Dossier, Evidence, Hierarchy, LocalDate, Recognition, Unit } from "@ntm/core"
import * as Context from "effect/Context"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Struct from "effect/Struct"
import type * as Principal from "./Principal.js"
import * as Problem from "./Problem.js"
import * as Views from "./Views.js"

// ---------------------------------------------------------------------------------------------------------------
// Security
// ---------------------------------------------------------------------------------------------------------------

/**
 * The caller, as the bearer token names them.
 *
 * @since 0.1.0
 */
export class CurrentPrincipal extends Context.Tag("@ntm/http/CurrentPrincipal")<
  CurrentPrincipal,
  Principal.Principal
>() {}

/**
 * Bearer-token authentication: every endpoint but health and readiness needs a token. A client address that failed
 * too often is refused for a while (429, `Retry-After`).
 *
 * @since 0.1.0
 */
export class Authentication extends HttpApiMiddleware.Tag<Authentication>()("@ntm/http/Authentication", {
  failure: Schema.Union(Problem.Unauthorized, Problem.Unavailable, Problem.TooManyRequests),
  provides: CurrentPrincipal,
  security: { bearer: HttpApiSecurity.bearer }
}) {}

// ---------------------------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------------------------

/**
 * A recording time: an ISO 8601 timestamp, or a date meaning the end of that day (UTC). Decodes to epoch ms.
 *
 * @since 0.1.0
 */
export const KnownAt = Schema.transformOrFail(Schema.String, Schema.Number, {
  strict: true,
  decode: (s, _, ast) => {
    const ms = /^\d{4}-\d{2}-\d{2}$/.test(s) ? Date.parse(`${s}T23:59:59.999Z`) : Date.parse(s)
    return Number.isFinite(ms)
      ? ParseResult.succeed(ms)
      : ParseResult.fail(new ParseResult.Type(ast, s, `không phải thời điểm / not a timestamp: ${s}`))
  },
  encode: (ms) => ParseResult.succeed(new Date(ms).toISOString())
}).annotations({ description: "Thời điểm ghi nhận / recording time: ISO 8601, or a date (end of day, UTC)" })

const AsOf = Schema.optional(LocalDate.LocalDate).annotations({
  description: "Tính đến ngày / as of this date (default: today)"
})

const UnitPath = Schema.Struct({ unit: Unit.UnitId })

/**
 * Headers of a write.
 *
 * @since 0.1.0
 */
export const WriteHeaders = Schema.Struct({
  "if-match": Schema.optional(Schema.String).annotations({
    description: "Phiên bản đã đọc (ETag) / the stream version read (the ETag of the read)"
  }),
  "idempotency-key": Schema.optional(Schema.String.pipe(Schema.minLength(1), Schema.maxLength(200))).annotations({
    description:
      "Khóa chống lặp lệnh: gửi lại đúng yêu cầu được trả lời như lần đầu; yêu cầu khác với cùng khóa bị từ chối (422) / names the request: the same request sent again is answered as the first time and appends nothing; another request with the key is refused (422)"
  })
})

// ---------------------------------------------------------------------------------------------------------------
// Command bodies: the core's commands without their actor
// ---------------------------------------------------------------------------------------------------------------

const withoutActor = <F extends Schema.Struct.Fields>(fields: F): Schema.Struct<Omit<F, "by">> =>
  Schema.Struct(Struct.omit(fields, "by") as Omit<F, "by">)

/** @since 0.1.0 */
export const EvidenceCommand = Schema.Union(
  withoutActor(Evidence.RecordEvidence.fields),
  withoutActor(Evidence.CorrectEvidence.fields),
  withoutActor(Evidence.RetractEvidence.fields),
  withoutActor(Evidence.AssessIndicator.fields),
  withoutActor(Evidence.WithdrawAssessment.fields)
).annotations({ identifier: "EvidenceCommand" })

/** @since 0.1.0 */
export const CommitmentCommand = Schema.Union(
  withoutActor(Commitment.MakeCommitment.fields),
  withoutActor(Commitment.ReportProgress.fields),
  withoutActor(Commitment.FulfilCommitment.fields),
  withoutActor(Commitment.ExtendCommitment.fields),
  withoutActor(Commitment.WithdrawCommitment.fields)
).annotations({ identifier: "CommitmentCommand" })

/** @since 0.1.0 */
export const DossierCommand = Schema.Union(
  withoutActor(Dossier.OpenDossier.fields),
  withoutActor(Dossier.SubmitSelfAssessment.fields),
  withoutActor(Dossier.RecordConsultation.fields),
  withoutActor(Dossier.VerifyDossier.fields),
  withoutActor(Dossier.AppraiseDossier.fields),
  withoutActor(Dossier.RecogniseDossier.fields),
  withoutActor(Dossier.AnnounceRecognition.fields),
  withoutActor(Dossier.ReturnDossier.fields),
  withoutActor(Dossier.RevokeDossier.fields)
).annotations({ identifier: "DossierCommand" })

/** @since 0.1.0 */
export const HierarchyCommand = Schema.Union(
  withoutActor(Hierarchy.EstablishUnit.fields),
  withoutActor(Hierarchy.RenameUnit.fields),
  withoutActor(Hierarchy.MoveUnit.fields),
  withoutActor(Hierarchy.ClassifyUnit.fields),
  withoutActor(Hierarchy.MergeUnits.fields),
  withoutActor(Hierarchy.DissolveUnit.fields)
).annotations({ identifier: "HierarchyCommand" })

/** @since 0.1.0 */
export const RecognitionCommand = Schema.Union(
  withoutActor(Recognition.GrantRecognition.fields),
  withoutActor(Recognition.RevokeRecognition.fields)
).annotations({ identifier: "RecognitionCommand" })

/** A write: a command body and the write headers, answering what was appended (errors: see {@link Api}). */
const write = <const Name extends string, P extends Schema.Schema.Any>(
  name: Name,
  path: HttpApiEndpoint.PathSegment,
  payload: P
) => HttpApiEndpoint.post(name, path).setPayload(payload).setHeaders(WriteHeaders).addSuccess(Views.WriteResult)

// ---------------------------------------------------------------------------------------------------------------
// Groups
// ---------------------------------------------------------------------------------------------------------------

/**
 * Health and readiness, without a token.
 *
 * @since 0.1.0
 */
export class HealthGroup extends HttpApiGroup.make("health")
  .add(HttpApiEndpoint.get("health", "/health").addSuccess(Schema.Struct({ status: Schema.Literal("ok") })))
  .add(
    HttpApiEndpoint.get("ready", "/ready").addSuccess(
      Schema.Struct({
        /** `degraded` when some stored events do not decode: they are listed, and left out of every read. */
        status: Schema.Literal("ready", "degraded"),
        position: Schema.Number,
        unreadable: Schema.optional(
          Schema.Array(
            Schema.Struct({
              stream: Schema.String,
              position: Schema.Number,
              type: Schema.String,
              version: Schema.Number,
              reason: Schema.String
            })
          )
        )
      })
    )
  )
  .annotate(OpenApi.Description, "Tình trạng máy chủ / server health") {}

/**
 * Criteria sets (bộ tiêu chí): list, read, publish a version (a provincial one too), compare two versions.
 *
 * @since 0.1.0
 */
export class CatalogsGroup extends HttpApiGroup.make("catalogs")
  .add(HttpApiEndpoint.get("list", "/catalogs").addSuccess(Schema.Array(Views.CatalogVersionSummary)))
  .add(
    HttpApiEndpoint.get("versions", "/catalogs/:id")
      .setPath(Schema.Struct({ id: Schema.String }))
      .addSuccess(Schema.Array(Views.CatalogVersionSummary))
  )
  .add(
    HttpApiEndpoint.get("read", "/catalogs/:id/versions/:version")
      .setPath(Schema.Struct({ id: Schema.String, version: Schema.String }))
      .addSuccess(Catalog.Catalog)
  )
  .add(
    HttpApiEndpoint.get("diff", "/catalogs/:id/diff")
      .setPath(Schema.Struct({ id: Schema.String }))
      .setUrlParams(Schema.Struct({ from: Schema.String, to: Schema.String }))
      .addSuccess(Schema.Array(Views.CatalogDifference))
  )
  .add(write("publish", "/catalogs", Catalog.Catalog))
  .middleware(Authentication)
  .annotate(OpenApi.Description, "Bộ tiêu chí / criteria sets") {}

/**
 * Units and the hierarchy as of a date; changes to the hierarchy.
 *
 * @since 0.1.0
 */
export class UnitsGroup extends HttpApiGroup.make("units")
  .add(
    HttpApiEndpoint.get("list", "/units")
      .setUrlParams(Schema.Struct({ asOf: AsOf, kind: Schema.optional(Unit.UnitKind) }))
      .addSuccess(Schema.Array(Views.UnitView))
  )
  .add(
    HttpApiEndpoint.get("read", "/units/:unit")
      .setPath(UnitPath)
      .setUrlParams(Schema.Struct({ asOf: AsOf }))
      .addSuccess(Views.UnitDetail)
  )
  .add(write("change", "/hierarchy", HierarchyCommand))
  .middleware(Authentication)
  .annotate(OpenApi.Description, "Đơn vị hành chính / administrative units") {}

/**
 * Evidence (minh chứng) and assessments of indicators.
 *
 * @since 0.1.0
 */
export class EvidenceGroup extends HttpApiGroup.make("evidence")
  .add(
    HttpApiEndpoint.get("read", "/units/:unit/evidence")
      .setPath(UnitPath)
      .addSuccess(
        Schema.Struct({ stream: Schema.String, streamVersion: Schema.Number, events: Schema.Array(Evidence.Event) })
      )
  )
  .add(write("record", "/evidence", EvidenceCommand))
  .middleware(Authentication)
  .annotate(
    OpenApi.Description,
    "Minh chứng và đánh giá / evidence (record, correct, retract) and assessments (assess, withdraw)"
  ) {}

/**
 * Commitments (cam kết).
 *
 * @since 0.1.0
 */
export class CommitmentsGroup extends HttpApiGroup.make("commitments")
  .add(
    HttpApiEndpoint.get("list", "/commitments")
      .setUrlParams(Schema.Struct({ asOf: AsOf, unit: Schema.optional(Unit.UnitId) }))
      .addSuccess(Schema.Array(Views.CommitmentView))
  )
  .add(
    HttpApiEndpoint.get("read", "/commitments/:commitment")
      .setPath(Schema.Struct({ commitment: Schema.String }))
      .setUrlParams(Schema.Struct({ asOf: AsOf }))
      .addSuccess(Views.CommitmentView)
  )
  .add(write("command", "/commitments", CommitmentCommand))
  .middleware(Authentication)
  .annotate(OpenApi.Description, "Cam kết / commitments") {}

/**
 * Recognition dossiers (hồ sơ) and each step of their workflow; recognitions (công nhận) granted or revoked directly.
 *
 * @since 0.1.0
 */
export class DossiersGroup extends HttpApiGroup.make("dossiers")
  .add(
    HttpApiEndpoint.get("list", "/dossiers")
      .setUrlParams(Schema.Struct({ asOf: AsOf, unit: Schema.optional(Unit.UnitId) }))
      .addSuccess(Schema.Array(Views.DossierView))
  )
  .add(
    HttpApiEndpoint.get("read", "/dossiers/:dossier")
      .setPath(Schema.Struct({ dossier: Schema.String }))
      .setUrlParams(Schema.Struct({ asOf: AsOf }))
      .addSuccess(Views.DossierView)
  )
  .add(write("step", "/dossiers", DossierCommand))
  .add(write("recognise", "/recognitions", RecognitionCommand))
  .middleware(Authentication)
  .annotate(OpenApi.Description, "Hồ sơ công nhận / recognition dossiers") {}

/**
 * Scorecards, roll-ups, progress reports and audit histories.
 *
 * @since 0.1.0
 */
export class ScorecardsGroup extends HttpApiGroup.make("scorecards")
  .add(
    HttpApiEndpoint.get("scorecard", "/units/:unit/scorecard")
      .setPath(UnitPath)
      .setUrlParams(Schema.Struct({ catalog: Schema.String, asOf: AsOf, knownAt: Schema.optional(KnownAt) }))
      .addSuccess(Views.ScorecardView)
  )
  .add(
    HttpApiEndpoint.get("rollup", "/units/:unit/rollup")
      .setPath(UnitPath)
      .setUrlParams(
        Schema.Struct({
          asOf: AsOf,
          knownAt: Schema.optional(KnownAt),
          depth: Schema.optional(Schema.NumberFromString.pipe(Schema.int(), Schema.between(0, 5)))
        })
      )
      .addSuccess(Views.RollupView)
  )
  .add(
    HttpApiEndpoint.get("progress", "/units/:unit/progress")
      .setPath(UnitPath)
      .setUrlParams(Schema.Struct({ catalog: Schema.String, period: Schema.String, knownAt: Schema.optional(KnownAt) }))
      .addSuccess(Views.ProgressView)
  )
  .add(
    HttpApiEndpoint.get("history", "/units/:unit/history")
      .setPath(UnitPath)
      .setUrlParams(Schema.Struct({ catalog: Schema.optional(Schema.String), code: Schema.optional(Schema.String) }))
      .addSuccess(Schema.Array(Views.HistoryLine))
  )
  .middleware(Authentication)
  .annotate(OpenApi.Description, "Bảng điểm, tổng hợp, báo cáo tiến độ, lịch sử / scorecards, roll-ups, progress") {}

/**
 * The hash chain and the live event feed.
 *
 * @since 0.1.0
 */
export class LogGroup extends HttpApiGroup.make("log")
  .add(HttpApiEndpoint.get("verify", "/verify").addSuccess(Views.Verification))
  .add(
    HttpApiEndpoint.get("events", "/events")
      .setUrlParams(
        Schema.Struct({
          after: Schema.optional(Schema.NumberFromString.pipe(Schema.int(), Schema.nonNegative())),
          unit: Schema.optional(Unit.UnitId)
        })
      )
      .addSuccess(
        Schema.String.pipe(HttpApiSchema.withEncoding({ kind: "Text", contentType: "text/event-stream" })).annotations({
          description:
            "Server-sent events: one `event: <type>` with `id: <position>` and the recorded event as JSON data. " +
            "Resumes after `Last-Event-ID` or `after`."
        })
      )
  )
  .middleware(Authentication)
  .annotate(OpenApi.Description, "Chuỗi băm và luồng sự kiện / hash chain and live events") {}

/**
 * The whole API. Every endpoint may answer any of the problems (a write is refused by the access gate or by the
 * core's rules; a read may name what does not exist), so they are declared once, here.
 *
 * @since 0.1.0
 */
export class Api extends HttpApi.make("ntm")
  .add(HealthGroup)
  .add(CatalogsGroup)
  .add(UnitsGroup)
  .add(EvidenceGroup)
  .add(CommitmentsGroup)
  .add(DossiersGroup)
  .add(ScorecardsGroup)
  .add(LogGroup)
  .addError(Problem.BadRequest)
  .addError(Problem.Unauthorized)
  .addError(Problem.Forbidden)
  .addError(Problem.NotFound)
  .addError(Problem.Conflict)
  .addError(Problem.PreconditionFailed)
  .addError(Problem.Unprocessable)
  .addError(Problem.TooManyRequests)
  .addError(Problem.ServerError)
  .addError(Problem.Unavailable)
  .annotateContext(
    OpenApi.annotations({
      title: "NTM — Nông thôn mới API",
      version: "0.1.0",
      description:
        "Theo dõi tiêu chí nông thôn mới: minh chứng, cam kết, hồ sơ công nhận, bảng điểm / " +
        "New Rural Development criteria tracking: evidence, commitments, recognition dossiers, scorecards."
    })
  ) {}
