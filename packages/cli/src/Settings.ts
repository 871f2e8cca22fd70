/**
 * Options shared by the commands: where the database is, and how much to log. Each option also reads an environment
 * variable when it is not given on the command line (`NTM_DATABASE`, `NTM_PG_URL`, `NTM_SQLITE_SYNCHRONOUS`,
 * `NTM_LOG_LEVEL`),
 * and the defaults need nothing: an SQLite file `./ntm.db`, created on first use.
 *
 * @since 0.1.0
 */
import * as Options from "@effect/cli/Options"
import type * as Server from "@ntm/http/Server"
import * as SqliteEventStore from "@ntm/sql/SqliteEventStore"
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Option from "effect/Option"

/**
 * `--database FILE` (or `NTM_DATABASE`): the SQLite file, `./ntm.db` by default.
 *
 * @since 0.1.0
 */
export const sqliteFile = Options.file("database").pipe(
  Options.withDescription(
    "Tệp SQLite chứa dữ liệu (tạo mới nếu chưa có); biến môi trường NTM_DATABASE / the SQLite file (created when missing); env NTM_DATABASE"
  ),
  Options.withFallbackConfig(Config.string("NTM_DATABASE")),
  Options.withDefault("./ntm.db")
)

/**
 * `--pg URL` (or `NTM_PG_URL`): a PostgreSQL connection string; when given, it is used instead of SQLite.
 *
 * @since 0.1.0
 */
export const pgUrl = Options.text("pg").pipe(
  Options.withDescription(
    "Chuỗi kết nối PostgreSQL, dùng thay cho SQLite; biến môi trường NTM_PG_URL / a PostgreSQL URL, used instead of SQLite; env NTM_PG_URL"
  ),
  Options.withFallbackConfig(Config.string("NTM_PG_URL")),
  Options.optional
)

/**
 * `--sqlite-synchronous full|normal` (or `NTM_SQLITE_SYNCHRONOUS`): when an SQLite commit is on disk. `full` (the
 * default) before it is acknowledged, so it survives a power cut; `normal` is faster and survives a crash of the
 * process, but a power cut may lose the last commits acknowledged.
 *
 * @since 0.1.0
 */
export const synchronous = Options.choice("sqlite-synchronous", SqliteEventStore.synchronousSettings).pipe(
  Options.withDescription(
    "Khi nào một lần ghi SQLite nằm trên đĩa: full (mặc định) trước khi báo đã ghi, còn khi mất điện; normal nhanh hơn, mất điện có thể mất những lần ghi cuối; biến môi trường NTM_SQLITE_SYNCHRONOUS / when an SQLite commit is on disk: full (default) before it is acknowledged, through a power cut; normal is faster, and a power cut may lose the last commits; env NTM_SQLITE_SYNCHRONOUS"
  ),
  Options.withFallbackConfig(Config.literal(...SqliteEventStore.synchronousSettings)("NTM_SQLITE_SYNCHRONOUS")),
  Options.withDefault("full" as const)
)

/**
 * The database the options name.
 *
 * @since 0.1.0
 */
export const database: Options.Options<Server.Database> = Options.map(
  Options.all({ file: sqliteFile, pg: pgUrl, synchronous }),
  ({ file, pg, synchronous }): Server.Database =>
    Option.match(pg, {
      onNone: () => ({ _tag: "Sqlite", filename: file, synchronous }),
      onSome: (url) => ({ _tag: "Pg", url })
    })
)

/**
 * A database for logs and messages: the file, or the PostgreSQL host and database without the password.
 *
 * @since 0.1.0
 */
export const describe = (db: Server.Database): string => {
  if (db._tag === "Sqlite") return `sqlite:${db.filename}`
  try {
    const u = new URL(db.url)
    u.password = ""
    return u.toString()
  } catch {
    return "postgresql"
  }
}

const levels = ["all", "trace", "debug", "info", "warning", "error", "fatal", "none"] as const

/** @since 0.1.0 */
export type Level = (typeof levels)[number]

const toLogLevel: Record<Level, LogLevel.LogLevel> = {
  all: LogLevel.All,
  trace: LogLevel.Trace,
  debug: LogLevel.Debug,
  info: LogLevel.Info,
  warning: LogLevel.Warning,
  error: LogLevel.Error,
  fatal: LogLevel.Fatal,
  none: LogLevel.None
}

/**
 * `--log-level` (or `NTM_LOG_LEVEL`), `info` by default.
 *
 * @since 0.1.0
 */
export const logLevel: Options.Options<Option.Option<Level>> = Options.choice("log-level", levels).pipe(
  Options.withDescription(
    "Mức ghi nhật ký, mặc định info; biến môi trường NTM_LOG_LEVEL / the least severe log level shown, default info; env NTM_LOG_LEVEL"
  ),
  Options.withFallbackConfig(Config.literal(...levels)("NTM_LOG_LEVEL")),
  Options.optional
)

/**
 * Runs an effect with structured logs on standard error (standard output is kept for what a command prints): one
 * JSON object a line when standard error is not a terminal (for a log collector), readable lines on a terminal.
 *
 * @since 0.1.0
 */
export const withLogging =
  (level: Option.Option<Level>) =>
  <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> => {
    const logger = Logger.withConsoleError(process.stderr.isTTY ? Logger.prettyLogger() : Logger.jsonLogger)
    const logged = self.pipe(Effect.provide(Logger.replace(Logger.defaultLogger, logger)))
    return Option.isSome(level) ? Logger.withMinimumLogLevel(logged, toLogLevel[level.value]) : logged
  }
