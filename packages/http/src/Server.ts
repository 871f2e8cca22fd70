/**
 * The Node server: the API's handlers over a store (an embedded SQLite file by default, or PostgreSQL), with the
 * OpenAPI document at `/openapi.json`, a documentation page at `/docs`, problem-details bodies for every error
 * (including a malformed request and an unknown path), structured logs and graceful shutdown.
 *
 * @since 0.1.0
 */
import { existsSync, statSync } from "node:fs"
import { createServer } from "node:http"
import { extname, join, resolve, sep } from "node:path"
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as HttpApiSwagger from "@effect/platform/HttpApiSwagger"
import * as HttpApp from "@effect/platform/HttpApp"
import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as HttpMiddleware from "@effect/platform/HttpMiddleware"
import * as HttpServer from "@effect/platform/HttpServer"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import type * as SqlClient from "@effect/sql/SqlClient"
import * as PgClient from "@effect/sql-pg/PgClient"
import { Actor, CommandHandler, Commands, type EventStore, ShippedCatalogs } from "@ntm/core"
import * as SqlEventStore from "@ntm/sql/SqlEventStore"
import * as SqliteEventStore from "@ntm/sql/SqliteEventStore"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
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

const decodeProblem = (d: { readonly message?: unknown; readonly issues?: unknown }) =>
  HttpServerResponse.unsafeJson(
    {
      _tag: "HttpApiDecodeError",
      code: "InvalidRequest",
      title: Problem.titles.BadRequest,
      detail: `Yêu cầu không đúng định dạng / the request does not match the API: ${String(d.message ?? "")}`,
      message: d.message,
      issues: d.issues
    },
    { status: 400 }
  )

/** A problem as a response, with its kind's status (or another, for a status the kinds do not have). */
const answer = (kind: Problem.Kind, code: string, detail: string, status = Problem.statusOf(kind)) =>
  HttpServerResponse.unsafeJson(Problem.make(kind, code, detail), { status })

const emptyBody = (response: HttpServerResponse.HttpServerResponse) => response.body._tag === "Empty"

const rewrite = (
  request: { readonly headers: Readonly<Record<string, string | undefined>> },
  response: HttpServerResponse.HttpServerResponse
): HttpServerResponse.HttpServerResponse => {
  // A form body (multipart) that does not parse is a defect of the framework's payload reader, answered 500 with no
  // body; no endpoint takes a form, so it is the client's mistake.
  if (response.status === 500 && emptyBody(response))
    return (request.headers["content-type"] ?? "").toLowerCase().includes("multipart/")
      ? answer(
          "BadRequest",
          "UnsupportedMediaType",
          "Nội dung phải là JSON (application/json) / the body must be JSON (application/json), not a form"
        )
      : answer("ServerError", "ServerError", "Lỗi máy chủ / server error: the request was not completed")
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
 * decode (400, `HttpApiDecodeError`, keeping its `issues`), a body that cannot be read (400, a form too), a path no
 * endpoint serves (404), and a failure without a body (500). A pre-response handler, because the framework sends error responses before an outer
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
 * Refuses a body over `maxBodySize`: by its `Content-Length` with a 413 problem before reading it, and a chunked
 * one by dropping the connection once the limit is read past (the platform's own limit).
 */
const limitBody = <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
    Number(request.headers["content-length"] ?? 0) > maxBodySize
      ? Effect.succeed(
          answer(
            "BadRequest",
            "PayloadTooLarge",
            `Nội dung yêu cầu quá lớn (tối đa ${maxBodySize} byte) / the request body is over ${maxBodySize} bytes`,
            413
          )
        )
      : HttpIncomingMessage.withMaxBodySize(app, Option.some(maxBodySize))
  )

/**
 * The HTTP app over the handlers, with the documentation page and the OpenAPI document, as a server layer. Needs
 * the handlers' services and an `HttpServer`.
 *
 * @since 0.1.0
 */
export const layerApp = HttpApiBuilder.serve((app) => problemDetails(HttpMiddleware.logger(limitBody(app)))).pipe(
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
