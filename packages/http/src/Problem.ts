/**
 * The errors of the HTTP API, problem-details style: every error body carries a machine-readable `_tag` (the kind of
 * problem, one per status), a `code` naming what went wrong (the core's rejection tag, such as `StepOutOfOrder`), a
 * Vietnamese and English `title`, and a `detail` sentence (Vietnamese first, English after " / ").
 *
 * The status codes live here, in the contract, never in the core. This module imports no Node code.
 *
 * @since 0.1.0
 */
import * as HttpApiSchema from "@effect/platform/HttpApiSchema"
import * as Schema from "effect/Schema"

/**
 * A title in both languages.
 *
 * @since 0.1.0
 */
export const Title = Schema.Struct({ vi: Schema.String, en: Schema.String })

const fields = {
  /** What went wrong, machine-readable: the core's rejection tag or one of this module's codes. */
  code: Schema.String,
  title: Title,
  /** The full sentence, Vietnamese first, then English after " / ". */
  detail: Schema.String,
  /** Structured facts of the problem (the rejection's fields, the failing paths of a body). */
  facts: Schema.optional(Schema.Unknown)
}

/** @since 0.1.0 */
export class BadRequest extends Schema.TaggedError<BadRequest>()(
  "BadRequest",
  fields,
  HttpApiSchema.annotations({ status: 400, description: "Yêu cầu không hợp lệ / bad request" })
) {}

/** @since 0.1.0 */
export class Unauthorized extends Schema.TaggedError<Unauthorized>()(
  "Unauthorized",
  fields,
  HttpApiSchema.annotations({ status: 401, description: "Chưa xác thực / not authenticated" })
) {}

/** @since 0.1.0 */
export class Forbidden extends Schema.TaggedError<Forbidden>()(
  "Forbidden",
  fields,
  HttpApiSchema.annotations({ status: 403, description: "Không có quyền / not permitted" })
) {}

/** @since 0.1.0 */
export class NotFound extends Schema.TaggedError<NotFound>()(
  "NotFound",
  fields,
  HttpApiSchema.annotations({ status: 404, description: "Không tìm thấy / not found" })
) {}

/** @since 0.1.0 */
export class Conflict extends Schema.TaggedError<Conflict>()(
  "Conflict",
  fields,
  HttpApiSchema.annotations({ status: 409, description: "Xung đột / conflict" })
) {}

/** @since 0.1.0 */
export class PreconditionFailed extends Schema.TaggedError<PreconditionFailed>()(
  "PreconditionFailed",
  fields,
  HttpApiSchema.annotations({
    status: 412,
    description: "Phiên bản đã thay đổi (If-Match) / the resource changed since it was read (If-Match)"
  })
) {}

/** @since 0.1.0 */
export class Unprocessable extends Schema.TaggedError<Unprocessable>()(
  "Unprocessable",
  fields,
  HttpApiSchema.annotations({ status: 422, description: "Bị từ chối theo quy tắc nghiệp vụ / rejected by a rule" })
) {}

/** @since 0.1.0 */
export class TooManyRequests extends Schema.TaggedError<TooManyRequests>()(
  "TooManyRequests",
  fields,
  HttpApiSchema.annotations({
    status: 429,
    description: "Quá nhiều lần xác thực sai; thử lại sau (Retry-After) / too many failed authentications; retry later"
  })
) {}

/** @since 0.1.0 */
export class ServerError extends Schema.TaggedError<ServerError>()(
  "ServerError",
  fields,
  HttpApiSchema.annotations({ status: 500, description: "Lỗi máy chủ / server error" })
) {}

/**
 * The answer cannot be given now: a service it depends on cannot be reached (the token store, the database), the
 * request went over its time budget, or a stored event it needs does not decode. Never a 401: a valid token is not
 * called invalid because it could not be checked.
 *
 * @since 0.1.0
 */
export class Unavailable extends Schema.TaggedError<Unavailable>()(
  "Unavailable",
  fields,
  HttpApiSchema.annotations({
    status: 503,
    description:
      "Tạm thời không phục vụ được (dịch vụ không truy cập được, quá thời gian, hoặc dữ liệu cần đọc bị hỏng) / service unavailable (a service unreachable, over the time budget, or a record it needs unreadable)"
  })
) {}

/**
 * Every problem the API answers with.
 *
 * @since 0.1.0
 */
export type Problem =
  | BadRequest
  | Unauthorized
  | Forbidden
  | NotFound
  | Conflict
  | PreconditionFailed
  | Unprocessable
  | TooManyRequests
  | ServerError
  | Unavailable

/**
 * The titles of each kind of problem.
 *
 * @since 0.1.0
 */
export const titles = {
  BadRequest: { vi: "Yêu cầu không hợp lệ", en: "Bad request" },
  Unauthorized: { vi: "Chưa xác thực", en: "Not authenticated" },
  Forbidden: { vi: "Không có quyền", en: "Not permitted" },
  NotFound: { vi: "Không tìm thấy", en: "Not found" },
  Conflict: { vi: "Xung đột", en: "Conflict" },
  PreconditionFailed: { vi: "Phiên bản đã thay đổi", en: "Precondition failed" },
  Unprocessable: { vi: "Bị từ chối theo quy tắc nghiệp vụ", en: "Rejected by a rule" },
  TooManyRequests: { vi: "Quá nhiều yêu cầu", en: "Too many requests" },
  ServerError: { vi: "Lỗi máy chủ", en: "Server error" },
  Unavailable: { vi: "Tạm thời không phục vụ được", en: "Service unavailable" }
} as const

const classes = {
  BadRequest,
  Unauthorized,
  Forbidden,
  NotFound,
  Conflict,
  PreconditionFailed,
  Unprocessable,
  TooManyRequests,
  ServerError,
  Unavailable
} as const

/**
 * The kinds of problem, by tag.
 *
 * @since 0.1.0
 */
export type Kind = keyof typeof classes

/**
 * The status a kind of problem answers with (from its class's annotation).
 *
 * @since 0.1.0
 */
export const statusOf = (kind: Kind): number => HttpApiSchema.getStatusError(classes[kind])

/**
 * Whether a value is one of the API's problems.
 *
 * @since 0.1.0
 */
export const isProblem = (u: unknown): u is Problem => Object.values(classes).some((c) => u instanceof c)

/**
 * Makes a problem of a kind.
 *
 * @since 0.1.0
 */
export const make = <K extends Kind>(
  kind: K,
  code: string,
  detail: string,
  facts?: unknown
): InstanceType<(typeof classes)[K]> =>
  new classes[kind]({
    code,
    title: titles[kind],
    detail,
    ...(facts === undefined ? {} : { facts })
  }) as InstanceType<(typeof classes)[K]>
