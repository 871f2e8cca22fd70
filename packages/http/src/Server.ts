/**
 * The Node server: the API's handlers over a store (an embedded SQLite file by default, or PostgreSQL), with the
 * OpenAPI document at `/openapi.json`, a documentation page at `/docs`, problem-details bodies for every error
 * (including a malformed request and an unknown path), structured logs and graceful shutdown.
 *
 * @since 0.1.0
 */
import { createHash } from "node:crypto"
import { existsSync, statSync } from "node:fs"
import { createServer } from "node:http"
import { extname, join, resolve, sep } from "node:path"
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as HttpApiSwagger from "@effect/platform/HttpApiSwagger"
import * as HttpApp from "@effect/platform/HttpApp"
import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as HttpServer from "@effect/platform/HttpServer"
import * as HttpServerError from "@effect/platform/HttpServerError"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import type * as SqlClient from "@effect/sql/SqlClient"
import * as PgClient from "@effect/sql-pg/PgClient"
import { Actor, CommandHandler, Commands, type EventStore, ShippedCatalogs } from "@ntm/core"
import * as SqlEventStore from "@ntm/sql/SqlEventStore"
import * as SqliteEventStore from "@ntm/sql/SqliteEventStore"
import * as Cause from "effect/Cause"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Handlers from "./Handlers.js"
import * as Problem from "./Problem.js"
import * as ReadModel from "./ReadModel.js"
import * as Tokens from "./Tokens.js"

/**
 * Where the events live.
 *
 * @since 0.1.0
 */
export type Database =
  | {
      readonly _tag: "Sqlite"
      readonly filename: string
      /** When a commit is on disk: `"full"` (the default) before it is acknowledged (see `SqliteEventStore`). */
      readonly synchronous?: SqliteEventStore.Synchronous | undefined
    }
  | { readonly _tag: "Pg"; readonly url: string }

/**
 * The store and its SQL client for a database.
 *
 * @since 0.1.0
 */
export const layerStore = (database: Database): Layer.Layer<EventStore.EventStore | SqlClient.SqlClient, unknown> =>
  SqlEventStore.layer.pipe(
    Layer.provideMerge(
      database._tag === "Sqlite"
        ? (SqliteEventStore.layerClient({
            filename: database.filename,
            synchronous: database.synchronous
          }) as Layer.Layer<SqlClient.SqlClient, unknown>)
        : (PgClient.layer({ url: Redacted.make(database.url) }) as Layer.Layer<SqlClient.SqlClient, unknown>)
    )
  )

/**
 * Everything the handlers need, over a store: tokens, the read model, and a cache of folded stream states.
 *
 * @since 0.1.0
 */
export const layerServices = (database: Database) =>
  Layer.mergeAll(
    Tokens.layer,
    ReadModel.layer,
    // Commands read only what was appended since the last one (the hierarchy, catalogs, the stream decided on).
    Layer.sync(CommandHandler.CurrentStateCache, () => ({ cache: CommandHandler.makeStateCache() }))
  ).pipe(Layer.provideMerge(layerStore(database)))

/** How many issues a decode problem lists, and how long each message and path segment may be. */
const issueLimits = { count: 10, message: 300, segment: 80, depth: 12 } as const

const cut = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n)}… (${s.length - n} more)`)

const issueTags = new Set([
  "Pointer",
  "Unexpected",
  "Missing",
  "Composite",
  "Refinement",
  "Transformation",
  "Type",
  "Forbidden"
])

/**
 * The issues of a decode error, bounded: at most `issueLimits.count`, each path and message cut short, so that an
 * answer never echoes a large input back (the framework's messages quote the value they refused).
 */
const boundedIssues = (issues: unknown) => {
  const list = Array.isArray(issues) ? issues : []
  return {
    count: list.length,
    issues: list.slice(0, issueLimits.count).map((i: { _tag?: unknown; path?: unknown; message?: unknown }) => ({
      _tag: typeof i?._tag === "string" && issueTags.has(i._tag) ? i._tag : "Type",
      path: (Array.isArray(i?.path) ? i.path : [])
        .slice(0, issueLimits.depth)
        .map((k: unknown) => (typeof k === "number" ? k : cut(String(k), issueLimits.segment))),
      message: cut(typeof i?.message === "string" ? i.message : "", issueLimits.message)
    }))
  }
}

const decodeProblem = (d: { readonly issues?: unknown }) => {
  const { count, issues } = boundedIssues(d.issues)
  const where = issues
    .slice(0, 3)
    .map((i) => `${i.path.length === 0 ? "(body)" : i.path.join(".")}: ${cut(i.message, 120)}`)
    .join("; ")
  const message = `${count} lỗi / ${count} issue(s)${where === "" ? "" : `: ${where}`}`
  return HttpServerResponse.unsafeJson(
    {
      _tag: "HttpApiDecodeError",
      code: "InvalidRequest",
      title: Problem.titles.BadRequest,
      detail: `Yêu cầu không đúng định dạng / the request does not match the API: ${message}`,
      message,
      issues,
      facts: { issueCount: count, shown: issues.length }
    },
    { status: 400 }
  )
}

/** A problem as a response, with its kind's status (or another, for a status the kinds do not have). */
const answer = (kind: Problem.Kind, code: string, detail: string, status = Problem.statusOf(kind)) =>
  HttpServerResponse.unsafeJson(Problem.make(kind, code, detail), { status })

const emptyBody = (response: HttpServerResponse.HttpServerResponse) => response.body._tag === "Empty"

const rewrite = (
  request: HttpServerRequest.HttpServerRequest,
  response: HttpServerResponse.HttpServerResponse
): HttpServerResponse.HttpServerResponse => {
  const stopped = overTime.get(request)
  if (response.status === 503 && emptyBody(response))
    return stopped !== undefined
      ? overTimeAnswer(stopped)
      : answer(
          "Unavailable",
          "Interrupted",
          "Máy chủ đã dừng yêu cầu (đang tắt?) / the server stopped the request (shutting down?)",
          503
        )
  if (response.status === 500 && emptyBody(response))
    return answer("ServerError", "ServerError", "Lỗi máy chủ / server error: the request was not completed")
  if (response.status === 404 && emptyBody(response))
    return answer("NotFound", "RouteNotFound", "Không có đường dẫn này trong API / no endpoint at this path; see /docs")
  if (response.status === 400 && emptyBody(response))
    return answer(
      "BadRequest",
      "UnreadableBody",
      "Không đọc được nội dung yêu cầu (JSON không hợp lệ?) / the request body could not be read (invalid JSON?)"
    )
  if (response.status !== 400 || response.body._tag !== "Uint8Array") return response
  try {
    const body = JSON.parse(new TextDecoder().decode(response.body.body)) as {
      _tag?: unknown
      title?: unknown
      message?: unknown
      issues?: unknown
    }
    return body._tag === "HttpApiDecodeError" && body.title === undefined ? decodeProblem(body) : response
  } catch {
    return response
  }
}

/**
 * Rewrites the answers the framework makes by itself into problem details: a body, path or parameter that does not
 * decode (400, `HttpApiDecodeError`, with its first `issues`, bounded and never quoting the input), a body that cannot
 * be read (400), a path no endpoint serves (404), and a failure without a body (500). A pre-response handler, because the framework sends error responses before an outer
 * middleware sees them.
 *
 * @since 0.1.0
 */
export const problemDetails = <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> =>
  HttpApp.withPreResponseHandler(app, (request, response) => Effect.succeed(rewrite(request, response)))

/**
 * Publishes the national criteria sets that are not yet published (idempotent: a version already there is left as
 * it is). Returns how many were new.
 *
 * @since 0.1.0
 */
export const publishNationalCatalogs = Effect.gen(function* () {
  const catalogs = ShippedCatalogs.load(ShippedCatalogs.documents)
  if (Either.isLeft(catalogs)) return yield* Effect.die(catalogs.left)
  const by = new Actor.Actor({ id: "system:bootstrap", name: "Khởi tạo / bootstrap", role: "system" })
  let published = 0
  for (const c of catalogs.right) {
    const outcome = yield* Commands.publishCatalog(c, by)
    if (outcome.events.length > 0) published++
  }
  return published
})

const contentTypes: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2"
}

/**
 * Serves a built web app (such as `examples/dashboard/dist`) from a directory under a path, with `index.html` for
 * any path that is not a file (so the app's own routes work). Paths outside the directory are refused.
 *
 * @since 0.1.0
 */
export const layerStatic = (options: { readonly dir: string; readonly path: `/${string}` }) =>
  HttpApiBuilder.Router.use((router) =>
    Effect.gen(function* () {
      const root = resolve(options.dir)
      const prefix = options.path.replace(/\/$/, "")
      const index = join(root, "index.html")
      const serve = Effect.gen(function* () {
        const request = yield* HttpServerRequest.HttpServerRequest
        const url = new URL(request.url, "http://localhost")
        if (url.pathname === prefix) return HttpServerResponse.redirect(`${prefix}/`, { status: 302 })
        let relative: string
        try {
          relative = decodeURIComponent(url.pathname.slice(prefix.length + 1))
        } catch {
          relative = ""
        }
        const candidate = resolve(root, relative === "" ? "index.html" : relative)
        const inside = candidate === root || candidate.startsWith(root + sep)
        const file = inside && existsSync(candidate) && statSync(candidate).isFile() ? candidate : index
        return yield* HttpServerResponse.file(file, {
          contentType: contentTypes[extname(file)] ?? "application/octet-stream"
        }).pipe(Effect.orElse(() => Effect.succeed(HttpServerResponse.empty({ status: 404 }))))
      })
      yield* router.get(prefix as `/${string}`, serve)
      yield* router.get(`${prefix}/*` as `/${string}`, serve)
    })
  )
/**
 * Options of the server.
 *
 * @since 0.1.0
 */
export interface Options {
  readonly port: number
  readonly host?: string
}

/**
 * The largest request body the server reads (1 MiB): a national criteria set is about 50 kB and a command far less.
 * Every accepted body ends up in the permanent log, so a larger one is refused (413) rather than stored.
 *
 * @since 0.1.0
 */
export const maxBodySize = 1024 * 1024

/**
 * The deepest nesting of arrays and objects a JSON body may have (64). A command nests a few levels and a criteria
 * set five or six; a body nested thousands of levels deep overflowed the stack of the framework's decoder and of
 * its error formatting (a 500), so it is refused before either runs.
 *
 * @since 0.1.0
 */
export const maxJsonDepth = 64

/**
 * The nesting depth of a JSON text: brackets outside strings, counted without recursion; stops once past `limit`
 * (a text that is not JSON gets a depth all the same, and is then refused by the parser).
 *
 * @since 0.1.0
 */
export const jsonDepth = (text: string, limit = Number.POSITIVE_INFINITY): number => {
  let depth = 0
  let deepest = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c)
        i++ // backslash: skip the escaped character
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x7b || c === 0x5b) {
      depth++
      if (depth > deepest) {
        deepest = depth
        if (deepest > limit) return deepest
      }
    } else if (c === 0x7d || c === 0x5d) depth--
  }
  return deepest
}

/**
 * Whether a content type names JSON (`application/json`, with any parameters); a missing one is taken as JSON, as
 * the framework does. A `+json` type is not: the framework would read its body as bytes, a second time.
 */
const isJson = (contentType: string | undefined) =>
  contentType === undefined ||
  contentType.trim() === "" ||
  contentType.split(";")[0]!.trim().toLowerCase() === "application/json"

/** Reads exempt from the time budget: the event feed (it streams for as long as the client listens) and the chain
 * verification (it reads the whole log, once, by an auditor). */
const untimed = new Set(["/events", "/verify"])

/** Requests stopped by the time budget: their answer (a 503 without a body, made by the framework for a request
 * interrupted) is rewritten into the problem saying so. */
const overTime = new WeakMap<object, Duration.DurationInput>()

/**
 * A read answered within the time budget (`HandlerOptions.budget.time`), or stopped and refused with a 503 problem
 * saying so. Its work is interrupted: the handlers are interruptible, and the folds yield every 10,000 events.
 */
const withinTime = <E, R>(url: string, app: HttpApp.Default<E, R>): HttpApp.Default<E, R> => {
  if (untimed.has(url.split("?")[0]!)) return app
  return Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
    Effect.flatMap(Handlers.HandlerOptions, ({ budget }) =>
      Effect.raceFirst(
        app,
        // Marked before the handler is interrupted: the framework answers it at once, through `problemDetails`.
        Effect.interruptible(Effect.sleep(budget.time)).pipe(
          Effect.zipRight(Effect.sync(() => overTime.set(request, budget.time))),
          Effect.as(overTimeAnswer(budget.time))
        )
      )
    )
  )
}

const overTimeAnswer = (time: Duration.DurationInput) => {
  const seconds = Duration.toSeconds(time)
  return answer(
    "Unavailable",
    "OverTimeBudget",
    `Yêu cầu vượt quá thời gian cho phép (${seconds} giây) và đã bị dừng / the request went over its time budget (${seconds} s) and was stopped`,
    503
  )
}

const methodsWithBody = new Set(["POST", "PUT", "PATCH", "DELETE"])

/**
 * The edge's checks on a request, before the framework reads it:
 * - a body over `maxBodySize` is refused by its `Content-Length` (413) before it is read, and a chunked one by
 *   dropping the connection once the limit is read past (the platform's own limit);
 * - a body that is not JSON (a form, multipart, XML, text) is refused (415) without being read: the framework's
 *   multipart reader waited forever on an empty multipart body;
 * - a JSON body nested deeper than `maxJsonDepth` is refused (400) before it is parsed.
 * The body read here is kept by the request, so the framework does not read it twice.
 */
const guard = <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
    if (Number(request.headers["content-length"] ?? 0) > maxBodySize)
      return Effect.succeed(
        answer(
          "BadRequest",
          "PayloadTooLarge",
          `Nội dung yêu cầu quá lớn (tối đa ${maxBodySize} byte) / the request body is over ${maxBodySize} bytes`,
          413
        )
      )
    const limited = HttpIncomingMessage.withMaxBodySize(app, Option.some(maxBodySize))
    if (request.method === "GET" || request.method === "HEAD") return withinTime(request.url, limited)
    if (!methodsWithBody.has(request.method)) return limited
    const contentType = request.headers["content-type"]
    if (!isJson(contentType))
      return Effect.succeed(
        answer(
          "BadRequest",
          "UnsupportedMediaType",
          `Nội dung phải là JSON (application/json), không phải ${cut(String(contentType), 80)} / the body must be JSON (application/json), not ${cut(String(contentType), 80)}`,
          415
        )
      )
    return request.text.pipe(
      HttpIncomingMessage.withMaxBodySize(Option.some(maxBodySize)),
      Effect.matchEffect({
        onFailure: () =>
          Effect.succeed(
            answer(
              "BadRequest",
              "UnreadableBody",
              "Không đọc được nội dung yêu cầu (quá lớn hoặc bị cắt) / the request body could not be read (too large, or cut short)"
            )
          ),
        onSuccess: (text) =>
          jsonDepth(text, maxJsonDepth) > maxJsonDepth
            ? Effect.succeed(
                answer(
                  "BadRequest",
                  "NestingTooDeep",
                  `JSON lồng quá ${maxJsonDepth} cấp / the JSON body nests deeper than ${maxJsonDepth} levels`
                )
              )
            : limited
      })
    )
  })

/**
 * Query parameters that look like a credential (`token`, `access_token`, `api_key`, `secret`, `password`,
 * `signature`, `session`, `auth`…): their values never reach a log.
 *
 * @since 0.1.0
 */
export const credentialParameter =
  /token|secret|passw(?:or)?d|pwd|api[-_]?key|access[-_]?key|auth|credential|signature|session|cookie/i

/**
 * A request URL as it may be logged: the value of every credential-looking query parameter replaced by `REDACTED`
 * (the rest left as sent).
 *
 * @since 0.1.0
 */
export const redactUrl = (url: string): string => {
  const q = url.indexOf("?")
  if (q < 0) return url
  const query = url
    .slice(q + 1)
    .split("&")
    .map((pair) => {
      const eq = pair.indexOf("=")
      const rawKey = eq < 0 ? pair : pair.slice(0, eq)
      let key = rawKey
      try {
        key = decodeURIComponent(rawKey.replace(/\+/g, " "))
      } catch {
        // a malformed key is judged as written
      }
      return credentialParameter.test(key) ? `${rawKey}=REDACTED` : pair
    })
    .join("&")
  return `${url.slice(0, q)}?${query}`
}

/**
 * Logs every request once it is answered: method, URL (credentials redacted), status and the client's address,
 * never a header. An answer of 500 or more is a server fault (a store that failed, a full disk, a defect such as a
 * stack overflow): it is logged at Error level with its cause; a 503 (over budget, or an unreadable event that the
 * read model has already logged as an error) at Warning; the rest at Info.
 */
const logRequests = <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
    Effect.flatMap(Effect.exit(app), (exit) => {
      const log = (status: number, cause: Cause.Cause<unknown>) =>
        Effect.annotateLogs(
          status === 503
            ? Effect.logWarning("Không trả lời được lúc này / unavailable", ...(Cause.isEmpty(cause) ? [] : [cause]))
            : status >= 500
              ? Effect.logError("Lỗi máy chủ / server fault", ...(Cause.isEmpty(cause) ? [] : [cause]))
              : Effect.logInfo("Đã trả lời / sent HTTP response"),
          {
            "http.method": request.method,
            "http.url": redactUrl(request.url),
            "http.status": status,
            "http.client": Option.getOrElse(request.remoteAddress, () => "")
          }
        )
      return Exit.isSuccess(exit)
        ? Effect.zipRight(log(exit.value.status, Cause.empty), exit)
        : Effect.zipRight(
            Effect.flatMap(HttpServerError.causeResponse(exit.cause), ([response, cause]) =>
              // the response itself is added to the cause as a defect: left out of the log
              log(
                response.status,
                Option.getOrElse(
                  Cause.stripSomeDefects(cause, (d) =>
                    HttpServerResponse.isServerResponse(d) ? Option.some(Cause.empty) : Option.none()
                  ),
                  () => cause
                )
              )
            ),
            exit
          )
    })
  )

/**
 * The content security policy of the dashboard (`/app`): its own scripts and styles only, no inline script, no
 * frame around it; it may call an API on another origin (`?api=`).
 *
 * @since 0.1.0
 */
export const appPolicy =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self' http: https:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

/** The policy of every other answer (JSON, the OpenAPI document): nothing to load, no frame around it. */
const apiPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

const docsHashes = new WeakMap<object, string>()

/**
 * The policy of the documentation page (`/docs`): its inline scripts by their SHA-256 only (the framework writes
 * them into the page), its inline styles, images from itself or data URLs, no frame around it.
 */
const docsPolicy = (response: HttpServerResponse.HttpServerResponse): string => {
  const body = response.body
  let hashes = body._tag === "Uint8Array" ? docsHashes.get(body.body) : undefined
  if (hashes === undefined) {
    const html = body._tag === "Uint8Array" ? new TextDecoder().decode(body.body) : ""
    hashes = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)]
      .map((m) => `'sha256-${createHash("sha256").update(m[1]!, "utf8").digest("base64")}'`)
      .join(" ")
    if (body._tag === "Uint8Array") docsHashes.set(body.body, hashes)
  }
  return `default-src 'none'; script-src ${hashes === "" ? "'none'" : hashes}; style-src 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`
}

/**
 * Security headers on every answer: `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`,
 * `X-Frame-Options: DENY`, and a content security policy: the dashboard's (`/app`), the documentation page's
 * (`/docs`), or none to load for the rest.
 *
 * @since 0.1.0
 */
export const securityHeaders = <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> =>
  HttpApp.withPreResponseHandler(app, (request, response) => {
    const path = request.url.split("?")[0]!
    const policy =
      path === "/docs" || path.startsWith("/docs/")
        ? docsPolicy(response)
        : path === "/app" || path.startsWith("/app/")
          ? appPolicy
          : apiPolicy
    return Effect.succeed(
      HttpServerResponse.setHeaders(response, {
        "content-security-policy": policy,
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
        "x-frame-options": "DENY"
      })
    )
  })

/**
 * The HTTP app over the handlers, with the documentation page and the OpenAPI document, as a server layer. Needs
 * the handlers' services and an `HttpServer`.
 *
 * @since 0.1.0
 */
export const layerApp = HttpApiBuilder.serve((app) => problemDetails(securityHeaders(logRequests(guard(app))))).pipe(
  Layer.provide(HttpApiSwagger.layer({ path: "/docs" })),
  Layer.provide(HttpApiBuilder.middlewareOpenApi({ path: "/openapi.json" })),
  Layer.provide(Handlers.layer),
  HttpServer.withLogAddress
)

/**
 * The whole server on Node: the app, the services over the database, and a Node HTTP server on the port (0 picks
 * a free one). Interrupting it stops accepting connections and lets requests in flight finish.
 *
 * @since 0.1.0
 */
export const layer = (options: Options & { readonly database: Database }) =>
  layerApp.pipe(
    Layer.provide(layerServices(options.database)),
    // merged, so that the caller can read the address it listens on (`address`), which port 0 leaves to the system
    Layer.provideMerge(
      NodeHttpServer.layer(createServer, {
        port: options.port,
        ...(options.host === undefined ? {} : { host: options.host })
      })
    )
  )

/**
 * The address a running server listens on, for tests and logs.
 *
 * @since 0.1.0
 */
export const address = Effect.map(HttpServer.HttpServer, (s) =>
  s.address._tag === "TcpAddress" ? Option.some(`http://127.0.0.1:${s.address.port}`) : Option.none()
)
