/**
 * Bearer tokens, stored hashed: a token is shown once when it is created, and only its SHA-256 is kept, with the
 * principal it names. Tokens are created and revoked from the command line (`ntm token create|revoke`); a revoked
 * token stops working within a second (a server does not look a live token up again for a second) and its row
 * stays, for the audit.
 *
 * Token format: `ntm_<id>_<secret>`, where the secret is 32 random bytes in base64url.
 *
 * @since 0.1.0
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto"
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import { Access, Actor, Commands, EventStore, Hierarchy, Limits, LocalDate, Unit } from "@ntm/core"
import type * as Events from "@ntm/core/Events"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import { Principal } from "./Principal.js"

/**
 * The token store failed.
 *
 * @since 0.1.0
 */
export class TokenStoreError extends Schema.TaggedError<TokenStoreError>()("TokenStoreError", {
  reason: Schema.String,
  cause: Schema.optional(Schema.Defect)
}) {
  override get message() {
    return `Lỗi kho mã truy cập / token store error: ${this.reason}`
  }
}

/**
 * No token with this id.
 *
 * @since 0.1.0
 */
export class UnknownToken extends Schema.TaggedError<UnknownToken>()("UnknownToken", { id: Schema.String }) {
  override get message() {
    return `Không có mã truy cập ${this.id} / no token ${this.id}`
  }
}

/**
 * A token that cannot be created as asked: a blank name, an officer's role without a unit, a unit the hierarchy does
 * not hold today, or a role no token carries (`system`: the operator's own tools).
 *
 * @since 0.1.0
 */
export class InvalidTokenRequest extends Schema.TaggedError<InvalidTokenRequest>()("InvalidTokenRequest", {
  problem: Schema.Literal("BlankName", "InvalidText", "UnitRequired", "UnknownUnit", "RoleWithoutToken"),
  role: Actor.Role,
  unit: Schema.optional(Schema.String),
  date: Schema.optional(Schema.String)
}) {
  override get message(): string {
    const messages: Record<InvalidTokenRequest["problem"], string> = {
      BlankName: "Tên người dùng mã không được để trống / the token's name must not be blank",
      InvalidText: `Tên hoặc cơ quan của mã có ký tự điều khiển hoặc quá dài (tối đa ${Limits.maxTextLength} ký tự) / the token's name or agency holds a control character or is too long (at most ${Limits.maxTextLength} characters)`,
      UnitRequired: `Vai trò ${this.role} cần --unit (đơn vị mà mã thao tác) / the ${this.role} role needs --unit, the unit it acts for`,
      UnknownUnit: `Không có đơn vị ${this.unit} vào ngày ${this.date} / no unit ${this.unit} in the hierarchy on ${this.date}`,
      RoleWithoutToken: `Không cấp mã cho vai trò ${this.role}: vai trò này chỉ dành cho công cụ dòng lệnh / no token is issued for the ${this.role} role: it is the command line's own`
    }
    return messages[this.problem]
  }
}

/**
 * A token as listed: never its secret.
 *
 * @since 0.1.0
 */
export class TokenInfo extends Schema.Class<TokenInfo>("@ntm/http/TokenInfo")({
  id: Schema.String,
  principal: Principal,
  createdAt: Schema.Number,
  revokedAt: Schema.optional(Schema.Number)
}) {}

/**
 * What to create a token for.
 *
 * @since 0.1.0
 */
export const TokenRequest = Schema.Struct({
  name: Schema.NonEmptyTrimmedString,
  role: Actor.Role,
  unit: Schema.optional(Unit.UnitId),
  agency: Schema.optional(Schema.String)
})

/** The texts a token's actor carries into every event it records: they must be what an event may hold. */
const isEventText = Schema.is(Limits.NonEmptyText)

/** @since 0.1.0 */
export type TokenRequest = typeof TokenRequest.Type

/** @since 0.1.0 */
export interface TokensService {
  /**
   * Creates a token; the secret is in the result and nowhere else. Refuses a blank name, an officer's role
   * (commune, district, province) without a unit, a unit the hierarchy does not hold today, and the `system` role.
   */
  readonly create: (
    request: TokenRequest
  ) => Effect.Effect<
    { readonly token: string; readonly info: TokenInfo },
    TokenStoreError | InvalidTokenRequest | EventStore.EventStoreError | Events.EventDecodeError
  >
  readonly revoke: (id: string) => Effect.Effect<TokenInfo, UnknownToken | TokenStoreError>
  readonly list: Effect.Effect<ReadonlyArray<TokenInfo>, TokenStoreError>
  /** The principal of a live token, or undefined for an unknown, malformed or revoked one. */
  readonly authenticate: (token: string) => Effect.Effect<Principal | undefined, TokenStoreError>
}

/**
 * @since 0.1.0
 */
export class Tokens extends Context.Tag("@ntm/http/Tokens")<Tokens, TokensService>() {}

/** The SHA-256 of a token, hex. */
export const hash = (token: string): string => createHash("sha256").update(token, "utf8").digest("hex")

const pattern = /^ntm_([a-z0-9]{12})_[A-Za-z0-9_-]{43}$/

interface Row {
  readonly id: string
  readonly hash: string
  readonly name: string
  readonly role: string
  readonly unit: string | null
  readonly agency: string | null
  readonly created_at: number | string
  readonly revoked_at: number | string | null
}

const decodePrincipal = Schema.decodeUnknownSync(Principal)

const toInfo = (r: Row): TokenInfo =>
  new TokenInfo({
    id: r.id,
    principal: decodePrincipal({
      id: `token:${r.id}`,
      name: r.name,
      role: r.role,
      ...(r.unit === null ? {} : { unit: r.unit }),
      ...(r.agency === null ? {} : { agency: r.agency })
    }),
    createdAt: Number(r.created_at),
    ...(r.revoked_at === null ? {} : { revokedAt: Number(r.revoked_at) })
  })

const failWith = (reason: string) => (cause: SqlError) => new TokenStoreError({ reason, cause })

/**
 * Failed authentications counted per client address: past `limit` failures within `window` ms of the first one,
 * the address is refused until the window ends, whatever token it sends (so that guessing tokens is slowed down to
 * `limit` tries a window). The count is kept in memory, per server.
 *
 * @since 0.1.0
 */
export interface FailureThrottle {
  /** Seconds until the address may try again, or undefined when it may try now. */
  readonly retryAfter: (client: string, now: number, options: ThrottleOptions) => number | undefined
  /** Counts a failed authentication. */
  readonly failed: (client: string, now: number, options: ThrottleOptions) => void
  /** Forgets an address's failures (it authenticated). */
  readonly succeeded: (client: string) => void
}

/**
 * How many failed authentications an address may make in a window (ms).
 *
 * @since 0.1.0
 */
export interface ThrottleOptions {
  readonly limit: number
  readonly window: number
}

/**
 * A throttle of failed authentications, in memory (at most 100,000 addresses remembered; the expired are let go
 * first).
 *
 * @since 0.1.0
 */
export const makeFailureThrottle = (): FailureThrottle => {
  const failures = new Map<string, { count: number; since: number }>()
  const live = (client: string, now: number, options: ThrottleOptions) => {
    const f = failures.get(client)
    if (f !== undefined && now - f.since >= options.window) {
      failures.delete(client)
      return undefined
    }
    return f
  }
  return {
    retryAfter: (client, now, options) => {
      const f = live(client, now, options)
      return f === undefined || f.count < options.limit
        ? undefined
        : Math.max(1, Math.ceil((f.since + options.window - now) / 1000))
    },
    failed: (client, now, options) => {
      const f = live(client, now, options)
      if (f !== undefined) {
        f.count++
        return
      }
      if (failures.size >= 100_000) {
        for (const [k, v] of failures) if (now - v.since >= options.window) failures.delete(k)
        if (failures.size >= 100_000) failures.clear()
      }
      failures.set(client, { count: 1, since: now })
    },
    succeeded: (client) => {
      failures.delete(client)
    }
  }
}

/**
 * The store over the `SqlClient` in context (and the event store, whose hierarchy a token's unit must be in); creates its table when missing (under an advisory lock on
 * PostgreSQL, so that two servers starting at once do not race).
 *
 * @since 0.1.0
 */
export const make = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const store = yield* EventStore.EventStore
  yield* sql
    .onDialectOrElse({
      pg: () =>
        sql.withTransaction(
          Effect.zipRight(
            sql`SELECT pg_advisory_xact_lock(7464010)`,
            sql`CREATE TABLE IF NOT EXISTS ntm_tokens (
              id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, name TEXT NOT NULL, role TEXT NOT NULL,
              unit TEXT, agency TEXT, created_at BIGINT NOT NULL, revoked_at BIGINT)`
          )
        ),
      orElse: () =>
        sql`CREATE TABLE IF NOT EXISTS ntm_tokens (
          id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, name TEXT NOT NULL, role TEXT NOT NULL,
          unit TEXT, agency TEXT, created_at INTEGER NOT NULL, revoked_at INTEGER)`
    })
    .pipe(Effect.mapError(failWith("creating the token table failed")))

  // A live token checked in the last second is not looked up again: a revocation takes effect within a second.
  const recentFor = 1_000
  const recent = new Map<string, { readonly at: number; readonly principal: Principal }>()

  const byId = (id: string) =>
    sql<Row>`SELECT * FROM ntm_tokens WHERE id = ${id}`.pipe(Effect.mapError(failWith("reading a token failed")))

  return Tokens.of({
    create: (request) =>
      Effect.gen(function* () {
        const refuse = (problem: InvalidTokenRequest["problem"], more?: { unit?: string; date?: string }) =>
          Effect.fail(new InvalidTokenRequest({ problem, role: request.role, ...more }))
        if (request.name.trim() === "") return yield* refuse("BlankName")
        if (!isEventText(request.name) || (request.agency !== undefined && !isEventText(request.agency)))
          return yield* refuse("InvalidText")
        if (Access.toolRoles.has(request.role)) return yield* refuse("RoleWithoutToken")
        if (request.unit === undefined) {
          if (Access.unitRoles.has(request.role)) return yield* refuse("UnitRequired")
        } else {
          const today = LocalDate.fromEpochMillis(yield* Clock.currentTimeMillis)
          const hierarchy = yield* Commands.loadHierarchy.pipe(Effect.provideService(EventStore.EventStore, store))
          if (Hierarchy.unitAt(hierarchy, request.unit, today) === undefined)
            return yield* refuse("UnknownUnit", { unit: request.unit, date: today })
        }
        const id = randomBytes(9)
          .toString("base64url")
          .toLowerCase()
          .replace(/[^a-z0-9]/g, "0")
          .slice(0, 12)
        const token = `ntm_${id}_${randomBytes(32).toString("base64url")}`
        const now = yield* Clock.currentTimeMillis
        yield* sql`INSERT INTO ntm_tokens ${sql.insert({
          id,
          hash: hash(token),
          name: request.name,
          role: request.role,
          unit: request.unit ?? null,
          agency: request.agency ?? null,
          created_at: now,
          revoked_at: null
        })}`.pipe(Effect.mapError(failWith("creating a token failed")))
        const rows = yield* byId(id)
        return { token, info: toInfo(rows[0]!) }
      }),
    revoke: (id) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        yield* sql`UPDATE ntm_tokens SET revoked_at = ${now} WHERE id = ${id} AND revoked_at IS NULL`.pipe(
          Effect.mapError(failWith("revoking a token failed"))
        )
        const rows = yield* byId(id)
        if (rows[0] === undefined) return yield* Effect.fail(new UnknownToken({ id }))
        return toInfo(rows[0])
      }),
    list: sql<Row>`SELECT * FROM ntm_tokens ORDER BY created_at, id`.pipe(
      Effect.map((rows) => rows.map(toInfo)),
      Effect.mapError(failWith("listing tokens failed"))
    ),
    authenticate: (token) =>
      Effect.gen(function* () {
        const m = pattern.exec(token)
        if (m === null) return undefined
        const now = yield* Clock.currentTimeMillis
        const digest = hash(token)
        const seen = recent.get(digest)
        if (seen !== undefined && now - seen.at < recentFor) return seen.principal
        const rows = yield* byId(m[1]!)
        const row = rows[0]
        if (row === undefined || row.revoked_at !== null) return undefined
        // A token of a role no token carries (made by an earlier build) is not live.
        if (Access.toolRoles.has(row.role as Actor.Role)) return undefined
        const given = Buffer.from(hash(token), "hex")
        const stored = Buffer.from(row.hash, "hex")
        if (given.length !== stored.length || !timingSafeEqual(given, stored)) return undefined
        const principal = toInfo(row).principal
        if (recent.size >= 10_000) recent.clear()
        recent.set(digest, { at: now, principal })
        return principal
      })
  })
})

/**
 * The store as a layer over the `SqlClient` in context.
 *
 * @since 0.1.0
 */
export const layer: Layer.Layer<Tokens, TokenStoreError, SqlClient.SqlClient | EventStore.EventStore> = Layer.effect(
  Tokens,
  make
)
