/**
 * The `ntm` command line, on `@effect/cli`: every command with its options, arguments and help text (Vietnamese
 * first, English beside it). The handlers live here; what they compute lives in the modules they call.
 *
 * @since 0.1.0
 */
import { existsSync } from "node:fs"
import { writeFile } from "node:fs/promises"
import { createServer } from "node:http"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as ValidationError from "@effect/cli/ValidationError"
import * as FileSystem from "@effect/platform/FileSystem"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { Actor, Catalog, Commands, Dossier, type Events, LocalDate, Progress, Scorecard, Unit } from "@ntm/core"
import * as Handlers from "@ntm/http/Handlers"
import * as Server from "@ntm/http/Server"
import * as HttpTokens from "@ntm/http/Tokens"
import * as Anchor from "@ntm/sql/Anchor"
import * as SqlEventStore from "@ntm/sql/SqlEventStore"
import * as Cause from "effect/Cause"
import * as Config from "effect/Config"
import * as Console from "effect/Console"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as CatalogImport from "./CatalogImport.js"
import * as Demo from "./Demo.js"
import * as Errors from "./Errors.js"
import * as EvidenceImport from "./EvidenceImport.js"
import * as Log from "./Log.js"
import * as ProgressBar from "./ProgressBar.js"
import * as Reports from "./Reports.js"
import * as Settings from "./Settings.js"
import * as Table from "./Table.js"
import * as Tokens from "./Tokens.js"

/** The store and the token table over a database. */
const layerStore = (db: Server.Database) => HttpTokens.layer.pipe(Layer.provideMerge(Server.layerStore(db)))

const common = { database: Settings.database, logLevel: Settings.logLevel }

const withStore =
  (options: { readonly database: Server.Database; readonly logLevel: Option.Option<Settings.Level> }) =>
  <A, E, R>(self: Effect.Effect<A, E, R>) =>
    self.pipe(Effect.provide(layerStore(options.database)), Settings.withLogging(options.logLevel))

// ---------------------------------------------------------------------------------------------------------------
// serve
// ---------------------------------------------------------------------------------------------------------------

const port = Options.integer("port").pipe(
  Options.withDescription("Cổng HTTP; biến môi trường NTM_PORT / the HTTP port (0: any free port); env NTM_PORT"),
  Options.withFallbackConfig(Config.integer("NTM_PORT")),
  Options.withDefault(8080)
)

const host = Options.text("host").pipe(
  Options.withDescription("Địa chỉ lắng nghe; biến môi trường NTM_HOST / the address to listen on; env NTM_HOST"),
  Options.withFallbackConfig(Config.string("NTM_HOST")),
  Options.optional
)

const demoFlag = Options.boolean("demo").pipe(
  Options.withDescription(
    "Nạp dữ liệu mẫu Tân Yên nếu cơ sở dữ liệu còn trống, và tạo thêm mã chỉ đọc cho kiểm toán viên / load the Tân Yên demo when the database is empty, and create a read-only auditor token"
  )
)

/** The dashboard example's build, when it has been built (`npm run build -w @ntm/example-dashboard`). */
const dashboardBuild = fileURLToPath(new URL("../../../../examples/dashboard/dist", import.meta.url))

const appDir = Options.directory("app", { exists: "yes" }).pipe(
  Options.withDescription(
    "Thư mục ứng dụng web phục vụ tại /app (mặc định: bản dựng của ví dụ dashboard nếu có) / a built web app to serve at /app (default: the dashboard example's build, when there is one)"
  ),
  Options.optional
)

const deadlinesFile = Options.file("deadlines", { exists: "yes" }).pipe(
  Options.withDescription(
    "Tệp JSON thời hạn theo bước hồ sơ (do tỉnh quy định; không có sẵn vì chưa có văn bản) / a JSON file of deadlines by dossier stage (set by the province; none is shipped, the legal limits were not in hand); see docs/cli.md"
  ),
  Options.optional
)

const readTimeout = Options.integer("read-timeout").pipe(
  Options.withDescription(
    "Giây tối đa cho một yêu cầu đọc, quá thì trả 503; biến môi trường NTM_READ_TIMEOUT / the seconds a read may take before it is stopped and answered 503; env NTM_READ_TIMEOUT"
  ),
  Options.withFallbackConfig(Config.integer("NTM_READ_TIMEOUT")),
  Options.withDefault(30)
)

const foldBudget = Options.integer("fold-budget").pipe(
  Options.withDescription(
    'Số sự kiện tối đa một truy vấn "as known at" được dựng lại, quá thì trả 422; biến môi trường NTM_FOLD_BUDGET / the events an "as known at" read may fold before it is refused 422; env NTM_FOLD_BUDGET'
  ),
  Options.withFallbackConfig(Config.integer("NTM_FOLD_BUDGET")),
  Options.withDefault(2_000_000)
)

const authFailures = Options.integer("auth-failures").pipe(
  Options.withDescription(
    "Số lần xác thực sai mỗi phút từ một địa chỉ trước khi trả 429; biến môi trường NTM_AUTH_FAILURES / failed authentications a client address may make in a minute before it is refused 429; env NTM_AUTH_FAILURES"
  ),
  Options.withFallbackConfig(Config.integer("NTM_AUTH_FAILURES")),
  Options.withDefault(10)
)

const anchorKey = Options.file("anchor-key", { exists: "yes" }).pipe(
  Options.withDescription(
    "Khóa riêng để ký mốc (PEM, Ed25519), để ngoài cơ sở dữ liệu; biến môi trường NTM_ANCHOR_KEY / the private key that signs anchors (PEM, Ed25519), kept outside the database; env NTM_ANCHOR_KEY"
  ),
  Options.withFallbackConfig(Config.string("NTM_ANCHOR_KEY"))
)

const anchorLog = Options.file("anchor-log").pipe(
  Options.withDescription(
    "Tệp mốc để công bố: mỗi mốc ký xong được ghi thêm một dòng; biến môi trường NTM_ANCHOR_LOG / the file to publish: each anchor signed is appended as a line; env NTM_ANCHOR_LOG"
  ),
  Options.withFallbackConfig(Config.string("NTM_ANCHOR_LOG")),
  Options.optional
)

const anchorEvery = Options.integer("anchor-every").pipe(
  Options.withDescription(
    "Ký mốc mỗi N giây nếu nhật ký có sự kiện mới / sign an anchor every N seconds when the log has moved"
  ),
  Options.withDefault(300)
)

const anchorEvents = Options.integer("anchor-events").pipe(
  Options.withDescription(
    "Ký mốc ngay khi có thêm N sự kiện, không chờ / sign an anchor as soon as N events were appended, without waiting"
  ),
  Options.withDefault(1000)
)

/** Reads a deadline policy file. */
const readDeadlines = (file: string) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const text = yield* fs
      .readFileString(file)
      .pipe(Effect.mapError((e) => new Errors.UnreadableFile({ file, reason: e.message })))
    const json = yield* Effect.try({
      try: () => JSON.parse(text) as unknown,
      catch: (e) => new Errors.UnreadableFile({ file, reason: String(e) })
    })
    return yield* Schema.decodeUnknown(Dossier.DeadlinePolicySchema, { onExcessProperty: "error" })(json).pipe(
      Effect.mapError(
        (e) => new Errors.InvalidInput({ option: "--deadlines", reason: ParseResult.TreeFormatter.formatErrorSync(e) })
      )
    )
  })

/**
 * `ntm serve`: the HTTP API.
 *
 * @since 0.1.0
 */
export const serve = Command.make(
  "serve",
  {
    ...common,
    port,
    host,
    demo: demoFlag,
    app: appDir,
    deadlines: deadlinesFile,
    readTimeout,
    foldBudget,
    authFailures,
    anchorKey: Options.optional(anchorKey),
    anchorLog,
    anchorEvery,
    anchorEvents
  },
  (o) =>
    Effect.gen(function* () {
      // Options first: a bad deadline file or key stops the server before it touches the database.
      const deadlines = Option.isSome(o.deadlines) ? yield* readDeadlines(o.deadlines.value) : {}
      if (Option.isSome(o.anchorLog) && Option.isNone(o.anchorKey))
        return yield* new Errors.InvalidInput({
          option: "--anchor-log",
          reason: "cần --anchor-key để ký mốc / needs --anchor-key to sign anchors"
        })
      if (o.anchorEvery <= 0 || o.anchorEvents <= 0)
        return yield* new Errors.InvalidInput({
          option: o.anchorEvery <= 0 ? "--anchor-every" : "--anchor-events",
          reason: "cần số dương / must be positive"
        })
      const signer = Option.isSome(o.anchorKey) ? yield* Anchor.readSigner(o.anchorKey.value) : undefined
      yield* Effect.logInfo("Khởi động / starting").pipe(
        Effect.annotateLogs({ database: Settings.describe(o.database), port: o.port })
      )
      if (o.demo) {
        const s = yield* Demo.status
        if (s.status === "Empty") {
          const n = yield* Demo.load
          yield* Effect.logInfo(`Đã nạp dữ liệu mẫu Tân Yên / loaded the Tân Yên demo: ${n} facts`)
        } else if (s.status === "Other") {
          yield* Effect.logWarning(
            "Cơ sở dữ liệu đã có dữ liệu khác, không nạp dữ liệu mẫu / the database holds other data; the demo was not loaded"
          )
        }
      }
      const published = yield* Server.publishNationalCatalogs
      yield* Effect.logInfo(`Bộ tiêu chí quốc gia mới công bố / national catalogs newly published: ${published}`)
      const admin = yield* Tokens.ensure("admin", "Quản trị / administrator")
      if (admin !== undefined) yield* Tokens.announce(admin)
      if (o.demo) {
        const auditor = yield* Tokens.ensure("auditor", "Kiểm toán viên (chỉ đọc) / auditor (read-only)")
        if (auditor !== undefined) yield* Tokens.announce(auditor)
      }
      const http = NodeHttpServer.layer(createServer, {
        port: o.port,
        ...Option.match(o.host, { onNone: () => ({}), onSome: (host) => ({ host }) })
      })
      const app = Option.getOrElse(o.app, () =>
        existsSync(join(dashboardBuild, "index.html")) ? dashboardBuild : undefined
      )
      if (app !== undefined) yield* Effect.logInfo(`Bảng điều khiển / dashboard at /app/ (${app})`)
      const staticApp = app === undefined ? Layer.empty : Server.layerStatic({ dir: app, path: "/app" })
      const options = Layer.succeed(Handlers.HandlerOptions, {
        ...Handlers.HandlerOptions.defaultValue(),
        deadlines,
        budget: { time: Duration.seconds(Math.max(1, o.readTimeout)), foldEvents: Math.max(0, o.foldBudget) },
        authFailures: { limit: Math.max(1, o.authFailures), window: Duration.minutes(1) }
      })
      // Anchors: signed beside the server, and once more when it stops (the scope closes after the server).
      const anchoring =
        signer === undefined
          ? Effect.void
          : Effect.zipRight(
              Effect.logInfo(`Ký mốc bằng khóa / signing anchors with key ${signer.key}`).pipe(
                Effect.annotateLogs({ every: `${o.anchorEvery} s`, events: o.anchorEvents })
              ),
              Effect.forkScoped(
                Anchor.run(
                  signer,
                  { every: Duration.seconds(o.anchorEvery), events: o.anchorEvents },
                  { file: Option.getOrUndefined(o.anchorLog) }
                )
              )
            )
      return yield* Effect.scoped(
        Effect.zipRight(
          anchoring,
          Layer.launch(
            Server.layerApp.pipe(Layer.provide(staticApp), Layer.provide(options), Layer.provide(http))
          ).pipe(Effect.onInterrupt(() => Effect.logInfo("Đã dừng máy chủ / server stopped")))
        )
      )
    }).pipe(Effect.provide(Server.layerServices(o.database)), Settings.withLogging(o.logLevel))
).pipe(
  Command.withDescription(
    "Chạy máy chủ HTTP (API, /docs, /openapi.json); công bố các bộ tiêu chí quốc gia và tạo mã quản trị nếu chưa có. / Run the HTTP server (API, /docs, /openapi.json); publishes the national catalogs and creates an admin token when there is none."
  )
)

// ---------------------------------------------------------------------------------------------------------------
// migrate, demo
// ---------------------------------------------------------------------------------------------------------------

/**
 * `ntm migrate`: creates or upgrades the tables, then exits.
 *
 * @since 0.1.0
 */
export const migrate = Command.make("migrate", common, (o) =>
  Effect.gen(function* () {
    yield* HttpTokens.Tokens
    // Dossiers opened by builds before the per-unit dossier index are listed in it, so that the one-open-dossier
    // check and the refusal of a direct revocation see them.
    const listed = yield* Commands.listAllDossiers
    const last = yield* Log.lastPosition
    yield* Console.log(
      `Đã cập nhật cấu trúc cơ sở dữ liệu / the database schema is up to date: ${Settings.describe(o.database)} (${last} sự kiện / events)`
    )
    if (listed > 0)
      yield* Console.log(
        `Đã ghi ${listed} hồ sơ cũ vào chỉ mục / listed ${listed} earlier dossier(s) in their units' index`
      )
  }).pipe(withStore(o))
).pipe(
  Command.withDescription(
    "Tạo hoặc nâng cấp các bảng (sự kiện, mã truy cập) rồi thoát. / Create or upgrade the tables (events, tokens), then exit."
  )
)

/**
 * `ntm demo`: loads the Tân Yên demo into an empty database.
 *
 * @since 0.1.0
 */
export const demo = Command.make("demo", common, (o) =>
  Effect.gen(function* () {
    const n = yield* Demo.load
    yield* Console.log(
      n === 0
        ? "Dữ liệu mẫu Tân Yên đã có sẵn / the Tân Yên demo is already loaded"
        : `Đã nạp ${n} sự kiện lịch sử của Tân Yên / loaded ${n} historical facts of Tân Yên`
    )
    const published = yield* Server.publishNationalCatalogs
    if (published > 0) yield* Console.log(`Đã công bố thêm / also published ${published} national catalog(s)`)
  }).pipe(withStore(o))
).pipe(
  Command.withDescription(
    "Nạp lịch sử minh họa của huyện Tân Yên (Bắc Giang) vào cơ sở dữ liệu trống. / Load the illustrative history of Tân Yên district (Bắc Giang) into an empty database."
  )
)

// ---------------------------------------------------------------------------------------------------------------
// token
// ---------------------------------------------------------------------------------------------------------------

const tokenCreate = Command.make(
  "create",
  {
    ...common,
    name: Options.text("name").pipe(Options.withDescription("Tên người hoặc hệ thống dùng mã / who uses the token")),
    role: Options.choice("role", Actor.Role.literals).pipe(
      Options.withDescription(
        "Vai trò / role: commune, district, province (cần --unit / need --unit), central, auditor, admin; system: không cấp mã / never issued"
      )
    ),
    unit: Options.text("unit").pipe(
      Options.withSchema(Unit.UnitId),
      Options.withDescription("Đơn vị mà mã được phép thao tác (cả cây con) / the unit whose subtree it acts for"),
      Options.optional
    ),
    agency: Options.text("agency").pipe(
      Options.withDescription("Cơ quan (Sở, ngành) / the agency, e.g. a provincial department"),
      Options.optional
    )
  },
  (o) =>
    Effect.gen(function* () {
      const tokens = yield* HttpTokens.Tokens
      const created = yield* tokens.create({
        name: o.name,
        role: o.role,
        ...Option.match(o.unit, { onNone: () => ({}), onSome: (unit) => ({ unit }) }),
        ...Option.match(o.agency, { onNone: () => ({}), onSome: (agency) => ({ agency }) })
      })
      yield* Tokens.announce(created)
    }).pipe(withStore(o))
).pipe(Command.withDescription("Tạo mã truy cập và in ra một lần. / Create a token and print it once."))

const tokenRevoke = Command.make(
  "revoke",
  { ...common, id: Args.text({ name: "id" }).pipe(Args.withDescription("Mã số của token / the token's id")) },
  (o) =>
    Effect.gen(function* () {
      const tokens = yield* HttpTokens.Tokens
      const info = yield* tokens.revoke(o.id)
      yield* Console.log(`Đã thu hồi / revoked ${info.id} (${info.principal.name}, ${info.principal.role})`)
    }).pipe(withStore(o))
).pipe(
  Command.withDescription("Thu hồi mã truy cập; mã thôi hiệu lực ngay. / Revoke a token; it stops working at once.")
)

const tokenList = Command.make("list", common, (o) =>
  Effect.gen(function* () {
    const tokens = yield* HttpTokens.Tokens
    const list = yield* tokens.list
    const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace("T", " ")
    yield* Console.log(
      Table.render(
        [
          "id",
          "Tên / name",
          "Vai trò / role",
          "Đơn vị / unit",
          "Cơ quan / agency",
          "Tạo / created",
          "Thu hồi / revoked"
        ],
        list.map((t) => [
          t.id,
          t.principal.name,
          t.principal.role,
          t.principal.unit ?? "",
          t.principal.agency ?? "",
          iso(t.createdAt),
          t.revokedAt === undefined ? "" : iso(t.revokedAt)
        ])
      )
    )
  }).pipe(withStore(o))
).pipe(Command.withDescription("Liệt kê mã truy cập (không có bí mật). / List tokens (never their secrets)."))

/**
 * `ntm token create|revoke|list`.
 *
 * @since 0.1.0
 */
export const token = Command.make("token").pipe(
  Command.withDescription("Quản lý mã truy cập API. / Manage API tokens."),
  Command.withSubcommands([tokenCreate, tokenRevoke, tokenList])
)

// ---------------------------------------------------------------------------------------------------------------
// verify, replay
// ---------------------------------------------------------------------------------------------------------------

const anchorsFile = Options.file("anchors", { exists: "yes" }).pipe(
  Options.withDescription(
    "Tệp mốc đã ký do tỉnh công bố (JSON từng dòng) / the signed anchors file the province published (JSON lines)"
  ),
  Options.optional
)

const publicKeyFiles = Options.file("public-key", { exists: "yes" }).pipe(
  Options.withDescription(
    "Khóa công khai của máy chủ ký mốc (PEM); nhắc lại nếu có nhiều khóa / the signing server's public key (PEM); repeat for several"
  ),
  Options.repeated
)

/**
 * `ntm verify`: walks the log, recomputing the hash chain and checking positions and recording times, and holds it
 * to the published anchors when given; exits with 1 and the first fault of each kind.
 *
 * @since 0.1.0
 */
export const verify = Command.make("verify", { ...common, anchors: anchorsFile, publicKeys: publicKeyFiles }, (o) =>
  Effect.gen(function* () {
    if (Option.isSome(o.anchors) && o.publicKeys.length === 0)
      return yield* new Errors.InvalidInput({
        option: "--public-key",
        reason: "--anchors cần khóa công khai để kiểm chữ ký / --anchors needs the public key to check signatures"
      })
    if (Option.isNone(o.anchors) && o.publicKeys.length > 0)
      return yield* new Errors.InvalidInput({
        option: "--anchors",
        reason: "--public-key kiểm các mốc trong tệp --anchors / --public-key checks the anchors of an --anchors file"
      })
    const anchors = Option.isSome(o.anchors)
      ? { list: yield* Anchor.readFile(o.anchors.value), keys: yield* Anchor.readPublicKeys(o.publicKeys) }
      : undefined
    const result = yield* SqlEventStore.verify(anchors === undefined ? {} : { anchors })
    if (result.faults.length > 0)
      return yield* new Errors.LogTampered({ checked: result.checked, faults: result.faults })
    yield* Console.log(
      `Chuỗi băm nguyên vẹn / hash chain intact: ${result.checked} sự kiện đã kiểm tra / events checked` +
        (anchors === undefined
          ? ""
          : `; khớp ${result.anchors} mốc đã ký / agrees with ${result.anchors} signed anchors`)
    )
    if (anchors === undefined)
      yield* Console.error(
        "Không có mốc đã ký: không phát hiện được việc viết lại và tính lại toàn bộ mã băm (xem docs/storage.md) / " +
          "without signed anchors (--anchors, --public-key), a rewrite with every hash recomputed cannot be seen (see docs/storage.md)"
      )
    // An event can keep its chain and still not decode (stored by an older build): each is named.
    yield* Log.requireReadable
  }).pipe(Effect.provide(Server.layerStore(o.database)), Settings.withLogging(o.logLevel))
).pipe(
  Command.withDescription(
    "Kiểm tra nhật ký sự kiện: chuỗi băm, vị trí liên tục, thời điểm ghi không lùi, các mốc đã ký nếu có, và đọc từng sự kiện; mã thoát 1 và lỗi đầu tiên của mỗi loại, hoặc các sự kiện không đọc được. / Check the event log: the hash chain, positions with no jump, recording times never going back, the signed anchors when given, and decode every event; exit status 1 and the first fault of each kind, or the events that do not decode."
  )
)

/**
 * `ntm replay`: folds the whole log into a ledger, with a progress bar on a terminal.
 *
 * @since 0.1.0
 */
export const replay = Command.make("replay", common, (o) =>
  Effect.gen(function* () {
    const total = yield* Log.lastPosition
    const bar = ProgressBar.make("Dựng lại / replaying", total)
    const started = performance.now()
    let count = 0
    const unreadable: Array<Events.EventDecodeError> = []
    const ledger = yield* Log.ledger({
      onEvent: (position) => {
        count++
        bar.update(position)
      },
      onUnreadable: (e) => {
        unreadable.push(e)
      }
    }).pipe(Effect.ensuring(Effect.sync(() => bar.stop())))
    const seconds = (performance.now() - started) / 1000
    const rate = seconds > 0 ? Math.round(count / seconds) : count
    yield* Console.log(
      `Đã dựng lại ${count} sự kiện trong ${seconds.toFixed(2)} s (${rate} sự kiện/s); ${ledger.hierarchy.units.size} đơn vị, ${ledger.catalogs.size} bộ tiêu chí / ` +
        `replayed ${count} events in ${seconds.toFixed(2)} s (${rate} events/s); ${ledger.hierarchy.units.size} units, ${ledger.catalogs.size} catalogs`
    )
    // the rest was replayed; the events left out are named, and the exit status is 1
    if (unreadable.length > 0) return yield* Effect.fail(Errors.unreadableEvents(unreadable))
  }).pipe(withStore(o))
).pipe(
  Command.withDescription(
    "Dựng lại toàn bộ trạng thái từ nhật ký sự kiện và đo tốc độ; sự kiện không đọc được được bỏ qua, nêu tên, mã thoát 1. / Rebuild the whole state from the event log and report events per second; events that do not decode are left out and named, exit status 1."
  )
)

// ---------------------------------------------------------------------------------------------------------------
// scorecard, report
// ---------------------------------------------------------------------------------------------------------------

const unitArg = Args.text({ name: "unit" }).pipe(
  Args.withSchema(Unit.UnitId),
  Args.withDescription("Mã đơn vị, ví dụ / the unit id, e.g. bac-giang/tan-yen")
)

const catalogOption = Options.text("catalog").pipe(
  Options.withSchema(Catalog.CatalogId),
  Options.withDescription(
    "Mã bộ tiêu chí, ví dụ / the criteria set, e.g. vn/2021-2025/district-advanced, illustrative/tan-yen/district-advanced"
  )
)

const today = () => LocalDate.fromEpochMillis(Date.now())

const asOfOption = Options.text("as-of").pipe(
  Options.withSchema(LocalDate.LocalDate),
  Options.withDescription("Tính đến ngày (YYYY-MM-DD), mặc định hôm nay / as of this date (YYYY-MM-DD), default today"),
  Options.optional
)

const knownAtOption = Options.text("known-at").pipe(
  Options.withDescription(
    "Chỉ tính những gì đã ghi nhận đến thời điểm này: ngày (hết ngày, UTC), thời điểm ISO hoặc mili giây / only what was recorded by then: a date (its end, UTC), an ISO time or epoch ms"
  ),
  Options.optional
)

const outputOption = Options.text("output").pipe(
  Options.withAlias("o"),
  Options.withDescription("Ghi ra tệp thay vì màn hình (bắt buộc với xlsx) / write to this file (required for xlsx)"),
  Options.optional
)

const knownAtOf = (o: Option.Option<string>) =>
  Option.match(o, {
    onNone: () => Effect.succeed(undefined),
    onSome: (s) => {
      const ms = Reports.parseKnownAt(s)
      return ms === undefined
        ? Effect.fail(new Errors.InvalidInput({ option: "--known-at", reason: `"${s}" is not a date or a time` }))
        : Effect.succeed(ms)
    }
  })

const rejected = (what: string) => (e: { readonly message: string }) => new Errors.Rejected({ what, detail: e.message })

const emit = (output: Option.Option<string>, text: string) =>
  Option.match(output, {
    onNone: () => Console.log(text),
    onSome: (file) =>
      Effect.flatMap(FileSystem.FileSystem, (fs) =>
        fs.writeFileString(file, text.endsWith("\n") ? text : `${text}\n`)
      ).pipe(
        Effect.mapError((e) => new Errors.UnreadableFile({ file, reason: `cannot write: ${e.message}` })),
        Effect.zipRight(Console.error(`Đã ghi / written: ${file}`))
      )
  })

/**
 * `ntm scorecard <unit> --catalog C`: a unit's scorecard as of a date.
 *
 * @since 0.1.0
 */
export const scorecard = Command.make(
  "scorecard",
  {
    ...common,
    unit: unitArg,
    catalog: catalogOption,
    asOf: asOfOption,
    knownAt: knownAtOption,
    format: Options.choice("format", Reports.formats).pipe(
      Options.withDescription("Định dạng / format: table, json, csv, xlsx"),
      Options.withDefault("table" as Reports.Format)
    ),
    output: outputOption
  },
  (o) =>
    Effect.gen(function* () {
      const knownAt = yield* knownAtOf(o.knownAt)
      const asOf = Option.getOrElse(o.asOf, today)
      const ledger = yield* Log.ledger(knownAt === undefined ? {} : { knownAt })
      const card = yield* Scorecard.make(ledger, { unit: o.unit, catalog: o.catalog, asOf }).pipe(
        Effect.mapError(rejected("Không lập được bảng đánh giá / no scorecard"))
      )
      switch (o.format) {
        case "table":
          return yield* emit(o.output, Reports.table(card, knownAt))
        case "json":
          return yield* emit(o.output, Reports.json(card, knownAt))
        case "csv":
          return yield* emit(o.output, Reports.csv(card))
        case "xlsx": {
          if (Option.isNone(o.output))
            return yield* new Errors.InvalidInput({
              option: "--output",
              reason: "xlsx is written to a file: add --output FILE.xlsx"
            })
          yield* Reports.writeWorkbook(Reports.workbook(card, knownAt), o.output.value)
          return yield* Console.error(`Đã ghi / written: ${o.output.value}`)
        }
      }
    }).pipe(withStore(o))
).pipe(
  Command.withDescription(
    "In bảng đánh giá của một đơn vị theo bộ tiêu chí, tính đến một ngày. / Print a unit's scorecard against a criteria set as of a date."
  )
)

/**
 * `ntm report <unit> --catalog C --period P`: a progress report.
 *
 * @since 0.1.0
 */
export const report = Command.make(
  "report",
  {
    ...common,
    unit: unitArg,
    catalog: catalogOption,
    period: Options.text("period").pipe(
      Options.withDescription("Kỳ báo cáo: tháng 2024-05, quý 2024-Q2 hoặc năm 2024 / a month, a quarter or a year")
    ),
    knownAt: knownAtOption,
    format: Options.choice("format", ["table", "json"] as const).pipe(
      Options.withDescription("Định dạng / format: table, json"),
      Options.withDefault("table" as "table" | "json")
    ),
    output: outputOption
  },
  (o) =>
    Effect.gen(function* () {
      const period = yield* Progress.parsePeriod(o.period)
      const knownAt = yield* knownAtOf(o.knownAt)
      const ledger = yield* Log.ledger(knownAt === undefined ? {} : { knownAt })
      const r = yield* Progress.report(ledger, { unit: o.unit, catalog: o.catalog, period }).pipe(
        Effect.mapError(rejected("Không lập được báo cáo / no report"))
      )
      yield* emit(o.output, o.format === "json" ? Reports.progressJson(r) : Reports.progress(r))
    }).pipe(withStore(o))
).pipe(
  Command.withDescription(
    "Báo cáo tiến độ của một đơn vị trong một kỳ: thay đổi và cam kết đến hạn. / A unit's progress report for a period: what changed and the commitments due."
  )
)

// ---------------------------------------------------------------------------------------------------------------
// anchor
// ---------------------------------------------------------------------------------------------------------------

const anchorKeygen = Command.make(
  "keygen",
  {
    out: Options.file("out", { exists: "no" }).pipe(
      Options.withDescription(
        "Tệp khóa riêng (khóa công khai ghi vào FILE.pub) / the private key file (the public key goes to FILE.pub)"
      )
    )
  },
  (o) =>
    Effect.gen(function* () {
      const keys = Anchor.generate()
      const publicFile = `${o.out}.pub`
      yield* Effect.tryPromise({
        try: async () => {
          // Never over an existing file: a lost private key cannot be made again.
          await writeFile(o.out, keys.privatePem, { flag: "wx", mode: 0o600 })
          await writeFile(publicFile, keys.publicPem, { flag: "wx", mode: 0o644 })
        },
        catch: (e) => new Errors.UnreadableFile({ file: o.out, reason: `cannot write: ${String(e)}` })
      })
      yield* Console.log(
        [
          `Khóa riêng / private key: ${o.out} (giữ bí mật, ngoài cơ sở dữ liệu / keep it secret, outside the database)`,
          `Khóa công khai / public key: ${publicFile} (công bố / publish it), id ${keys.key}`,
          keys.publicPem.trimEnd()
        ].join("\n")
      )
    })
).pipe(Command.withDescription("Tạo cặp khóa Ed25519 để ký mốc. / Create an Ed25519 key pair to sign anchors with."))

const anchorSign = Command.make("sign", { ...common, key: anchorKey, log: anchorLog }, (o) =>
  Effect.gen(function* () {
    const signer = yield* Anchor.readSigner(o.key)
    const anchor = yield* Anchor.checkpoint(signer, { file: Option.getOrUndefined(o.log) })
    yield* Console.log(
      anchor === undefined
        ? "Không có gì mới để ký (nhật ký trống hoặc đầu nhật ký đã được ký) / nothing new to sign (the log is empty or its head is signed)"
        : `Đã ký mốc / signed an anchor: ${Anchor.toLine(anchor)}`
    )
  }).pipe(Effect.provide(Server.layerStore(o.database)), Settings.withLogging(o.logLevel))
).pipe(
  Command.withDescription(
    "Ký ngay một mốc cho đầu nhật ký (ví dụ theo lịch cron, khi không chạy máy chủ). / Sign an anchor of the log's head now (e.g. from cron, without a server)."
  )
)

const anchorExport = Command.make("export", { ...common, output: outputOption }, (o) =>
  Effect.gen(function* () {
    const anchors = yield* Anchor.stored
    yield* emit(o.output, anchors.map(Anchor.toLine).join("\n"))
  }).pipe(Effect.provide(Server.layerStore(o.database)), Settings.withLogging(o.logLevel))
).pipe(
  Command.withDescription(
    "In các mốc lưu trong cơ sở dữ liệu (JSON từng dòng); tệp đã công bố mới là căn cứ để kiểm tra. / Print the anchors kept in the database (JSON lines); the published file is what verify trusts."
  )
)

/**
 * `ntm anchor keygen|sign|export`.
 *
 * @since 0.1.0
 */
export const anchor = Command.make("anchor").pipe(
  Command.withDescription(
    "Mốc đã ký của nhật ký (xem docs/storage.md, Anchoring). / Signed anchors of the log (see docs/storage.md, Anchoring)."
  ),
  Command.withSubcommands([anchorKeygen, anchorSign, anchorExport])
)

// ---------------------------------------------------------------------------------------------------------------
// catalog import, evidence import
// ---------------------------------------------------------------------------------------------------------------

const byOption = Options.text("by").pipe(
  Options.withDescription(
    "Tên người nhập, ghi vào sự kiện / who imports, recorded as the events' actor (default: command line)"
  ),
  Options.withDefault("Dòng lệnh / command line")
)

/**
 * Who an import records: a catalog is published as an admin; evidence is recorded as `system`, the operator's own
 * import tool, which the access matrix lets record evidence for any unit (no API token carries that role).
 */
const importer = (name: string, role: "admin" | "system") =>
  new Actor.Actor({ id: `cli:${name.normalize("NFC")}`.slice(0, 200), name, role })

const headerOption = (field: CatalogImport.HeaderField, description: string) =>
  // `--version` is taken by the command line itself (it prints the version of ntm).
  Options.text(field === "version" ? "catalog-version" : field.replace(/_/g, "-")).pipe(
    Options.withDescription(description),
    Options.optional
  )

const headerOptions = {
  id: headerOption("id", "Mã bộ tiêu chí / catalog id, e.g. bac-giang/2024/district-advanced"),
  version: headerOption("version", "Phiên bản / version, e.g. 2024-01"),
  name_vi: headerOption("name_vi", "Tên tiếng Việt / name in Vietnamese"),
  name_en: headerOption("name_en", "Tên tiếng Anh / name in English"),
  applies_to: headerOption("applies_to", "Cấp áp dụng / unit kinds, e.g. district or commune,town"),
  standard: headerOption("standard", "Chuẩn đạt được / the standard, e.g. ntm, advanced, model"),
  effective_from: headerOption("effective_from", "Hiệu lực từ / in force from (YYYY-MM-DD)"),
  effective_until: headerOption("effective_until", "Hiệu lực đến / in force until (YYYY-MM-DD)"),
  province: headerOption("province", "Tỉnh áp dụng (bộ tiêu chí cấp tỉnh) / the province of a provincial version"),
  status: headerOption("status", "Mức kiểm chứng mặc định / default provenance: verified, unverified, illustrative"),
  legal_basis: headerOption("legal_basis", "Căn cứ pháp lý, cách nhau bởi ; / legal basis, separated by ;")
}

const catalogImport = Command.make(
  "import",
  {
    ...common,
    file: Args.file({ name: "file", exists: "yes" }).pipe(
      Args.withDescription("Tệp .json, .csv hoặc .xlsx / a .json, .csv or .xlsx file")
    ),
    ...headerOptions,
    by: byOption,
    dryRun: Options.boolean("dry-run").pipe(
      Options.withDescription("Chỉ kiểm tra, không công bố / check only, publish nothing")
    )
  },
  (o) =>
    Effect.gen(function* () {
      const header: Record<string, string> = {}
      for (const f of CatalogImport.headerFields) {
        const v = o[f]
        if (Option.isSome(v)) header[f] = v.value
      }
      const ledger = yield* Log.ledger()
      const loaded = [...ledger.catalogs.values()].flat()
      const catalog = yield* CatalogImport.read(o.file, header, loaded)
      const summary = `${catalog.id}@${catalog.version}: ${catalog.criteria.length} tiêu chí / criteria, ${catalog.indicators.length} chỉ tiêu / indicators`
      if (o.dryRun) return yield* Console.log(`Hợp lệ, chưa công bố / valid, not published: ${summary}`)
      const outcome = yield* Commands.publishCatalog(catalog, importer(o.by, "admin")).pipe(
        Effect.mapError(rejected("Không công bố được / not published"))
      )
      yield* Console.log(
        outcome.events.length > 0
          ? `Đã công bố / published ${summary}`
          : `Đã có sẵn, không thay đổi / already published, unchanged: ${summary}`
      )
    }).pipe(withStore(o))
).pipe(
  Command.withDescription(
    "Nhập và công bố một bộ tiêu chí từ JSON, CSV hoặc XLSX; có lỗi ở bất kỳ dòng nào thì không công bố gì. / Import and publish a criteria set from JSON, CSV or XLSX; nothing is published when any row is wrong."
  )
)

/**
 * `ntm catalog import <file>`.
 *
 * @since 0.1.0
 */
export const catalog = Command.make("catalog").pipe(
  Command.withDescription("Bộ tiêu chí. / Criteria sets."),
  Command.withSubcommands([catalogImport])
)

const evidenceImport = Command.make(
  "import",
  {
    ...common,
    file: Args.file({ name: "file", exists: "yes" }).pipe(
      Args.withDescription("Tệp .csv hoặc .xlsx / a .csv or .xlsx file")
    ),
    by: byOption
  },
  (o) =>
    Effect.gen(function* () {
      const outcome = yield* EvidenceImport.run(o.file, importer(o.by, "system"))
      yield* Console.log(
        `Đã ghi ${outcome.recorded}, bỏ qua ${outcome.skipped} (đã có), bị từ chối ${outcome.rejected.length} / ` +
          `recorded ${outcome.recorded}, skipped ${outcome.skipped} (already recorded), rejected ${outcome.rejected.length}`
      )
      // Rows recorded before others failed stay recorded: say so, rather than that nothing was written.
      if (outcome.rejected.length > 0)
        return yield* outcome.recorded > 0
          ? new Errors.ImportIncomplete({
              file: o.file,
              recorded: outcome.recorded,
              skipped: outcome.skipped,
              issues: outcome.rejected
            })
          : new Errors.ImportRejected({ file: o.file, issues: outcome.rejected })
    }).pipe(withStore(o))
).pipe(
  Command.withDescription(
    "Nhập minh chứng từ CSV hoặc XLSX, mỗi dòng một minh chứng; có lỗi ở bất kỳ dòng nào thì không ghi gì. / Import evidence from CSV or XLSX, one record per row; nothing is recorded when any row is wrong."
  )
)

/**
 * `ntm evidence import <file>`.
 *
 * @since 0.1.0
 */
export const evidence = Command.make("evidence").pipe(
  Command.withDescription("Minh chứng. / Evidence."),
  Command.withSubcommands([evidenceImport])
)

// ---------------------------------------------------------------------------------------------------------------
// the root
// ---------------------------------------------------------------------------------------------------------------

/**
 * `ntm`, with every command.
 *
 * @since 0.1.0
 */
export const ntm = Command.make("ntm").pipe(
  Command.withDescription(
    "Theo dõi tiêu chí nông thôn mới: máy chủ API, mã truy cập, kiểm tra và dựng lại nhật ký, bảng đánh giá, báo cáo, nhập bộ tiêu chí và minh chứng. / Nông thôn mới criteria tracking: API server, tokens, log verification and replay, scorecards, reports, catalog and evidence import."
  ),
  Command.withSubcommands([serve, migrate, demo, token, verify, anchor, replay, scorecard, report, catalog, evidence])
)

/**
 * The command line as a function of `process.argv`.
 *
 * @since 0.1.0
 */
export const run = Command.run(ntm, { name: "ntm", version: "0.1.0" })

/**
 * Prints a failure's message (Vietnamese first) on standard error; the parser's own errors are already printed.
 *
 * @since 0.1.0
 */
export const reportErrors = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.tapErrorCause(self, (cause) => {
    if (Cause.isInterruptedOnly(cause)) return Effect.void
    const failure = Cause.failureOption(cause)
    if (Option.isSome(failure)) {
      const e = failure.value
      if (ValidationError.isValidationError(e)) return Effect.void
      if (typeof e === "object" && e !== null && "message" in e && typeof e.message === "string" && e.message !== "")
        return Console.error(e.message)
    }
    return Console.error(Cause.pretty(cause))
  })
