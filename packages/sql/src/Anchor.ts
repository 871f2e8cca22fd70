/**
 * Anchors: checkpoints of the log's head, signed with a key kept outside the database.
 *
 * The hash chain (see `HashChain`) shows an event edited behind the store's back, but whoever can write the database
 * can also recompute every hash after the edit. An anchor is a statement that nobody holding only the database can
 * forge: "at position P the global chain's hash was H (the event there recorded at T)", signed with Ed25519 at a time
 * S by a key whose private half never enters the database. The server signs one every so many events or seconds and
 * on shutdown, keeps it in `ntm_anchors` and appends it to a JSON-lines file that the province publishes;
 * `SqlEventStore.verify` then checks that the log still agrees with every published anchor.
 *
 * - The signed statement is text, one field a line: `ntm-anchor/1`, position, hash, recorded time, signing time, key
 *   id (see {@link statement}); the signature is base64.
 * - A key id is the first 16 hex digits of the SHA-256 of the public key (SubjectPublicKeyInfo, DER), so that a
 *   verifier picks the right public key among several (one per server, or a key replaced).
 * - Keys are PEM files: the private key in PKCS #8, the public key in SubjectPublicKeyInfo (`openssl pkey` reads both).
 *
 * @since 0.1.0
 */

import * as Crypto from "node:crypto"
import * as Fs from "node:fs/promises"
import * as SqlClient from "@effect/sql/SqlClient"
import { EventStore } from "@ntm/core"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as HashChain from "./HashChain.js"

/**
 * A signed checkpoint of the log's head.
 *
 * @since 0.1.0
 */
export class Anchor extends Schema.Class<Anchor>("@ntm/sql/Anchor")({
  /** The position of the log's last event when it was signed. */
  position: Schema.Int.pipe(Schema.positive()),
  /** The global chain's hash at that position (`HashChain.chainHash`), lowercase hex. */
  hash: Schema.String.pipe(Schema.pattern(/^[0-9a-f]{64}$/)),
  /** The recorded time of the event at that position, in epoch milliseconds. */
  recordedAt: Schema.Int,
  /** When the server signed it, in epoch milliseconds. */
  signedAt: Schema.Int,
  /** The key id (see {@link keyId}). */
  key: Schema.String.pipe(Schema.pattern(/^[0-9a-f]{16}$/)),
  /** The Ed25519 signature of {@link statement}, base64. */
  signature: Schema.String
}) {}

/**
 * The bytes an anchor's signature covers.
 *
 * @since 0.1.0
 */
export const statement = (a: Omit<Anchor, "signature">): string =>
  ["ntm-anchor/1", a.position, a.hash, a.recordedAt, a.signedAt, a.key].join("\n")

/**
 * An anchor as one line of the published file (JSON, fields in a fixed order, no newline).
 *
 * @since 0.1.0
 */
export const toLine = (a: Anchor): string =>
  JSON.stringify({
    position: a.position,
    hash: a.hash,
    recordedAt: a.recordedAt,
    signedAt: a.signedAt,
    key: a.key,
    signature: a.signature
  })

/**
 * A key file could not be read or holds no Ed25519 key of the kind expected.
 *
 * @since 0.1.0
 */
export class AnchorKeyError extends Schema.TaggedError<AnchorKeyError>()("AnchorKeyError", {
  file: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `Khóa ký không dùng được / unusable anchor key ${this.file}: ${this.reason}`
  }
}

/**
 * A published anchors file could not be read, or one of its lines is not an anchor.
 *
 * @since 0.1.0
 */
export class AnchorFileError extends Schema.TaggedError<AnchorFileError>()("AnchorFileError", {
  file: Schema.String,
  /** The line at fault (from 1), or 0 for the whole file. */
  line: Schema.Number,
  reason: Schema.String
}) {
  override get message() {
    const where = this.line === 0 ? "" : ` dòng / line ${this.line}:`
    return `Tệp mốc không đọc được / unreadable anchors file ${this.file}:${where} ${this.reason}`
  }
}

/**
 * The id of a public key: the first 16 hex digits of the SHA-256 of its DER encoding.
 *
 * @since 0.1.0
 */
export const keyId = (publicKey: Crypto.KeyObject): string =>
  Crypto.createHash("sha256")
    .update(publicKey.export({ type: "spki", format: "der" }))
    .digest("hex")
    .slice(0, 16)

/**
 * A private key to sign with, its public half and its id.
 *
 * @since 0.1.0
 */
export interface Signer {
  readonly privateKey: Crypto.KeyObject
  readonly publicKey: Crypto.KeyObject
  readonly key: string
}

/**
 * A new Ed25519 key pair, as PEM texts, with its id.
 *
 * @since 0.1.0
 */
export const generate = (): { readonly privatePem: string; readonly publicPem: string; readonly key: string } => {
  const { privateKey, publicKey } = Crypto.generateKeyPairSync("ed25519")
  return {
    privatePem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    key: keyId(publicKey)
  }
}

const readText = (file: string) =>
  Effect.tryPromise({
    try: () => Fs.readFile(file, "utf8"),
    catch: (e) => new AnchorKeyError({ file, reason: e instanceof Error ? e.message : String(e) })
  })

/**
 * The signer of a private key in PEM (PKCS #8, Ed25519); throws when it is not one.
 *
 * @since 0.1.0
 */
export const signerOf = (pem: string): Signer => {
  const privateKey = Crypto.createPrivateKey(pem)
  if (privateKey.asymmetricKeyType !== "ed25519") throw new Error(`not Ed25519: ${privateKey.asymmetricKeyType}`)
  const publicKey = Crypto.createPublicKey(privateKey)
  return { privateKey, publicKey, key: keyId(publicKey) }
}

/**
 * The signer of a private key file (PEM, PKCS #8, Ed25519).
 *
 * @since 0.1.0
 */
export const readSigner = (file: string): Effect.Effect<Signer, AnchorKeyError> =>
  Effect.flatMap(readText(file), (pem) =>
    Effect.try({
      try: () => signerOf(pem),
      catch: (e) =>
        new AnchorKeyError({
          file,
          reason: `không phải khóa riêng Ed25519 / not an Ed25519 private key (${e instanceof Error ? e.message : String(e)})`
        })
    })
  )

/**
 * The public keys of files (PEM, SubjectPublicKeyInfo, Ed25519), by key id.
 *
 * @since 0.1.0
 */
export const readPublicKeys = (
  files: ReadonlyArray<string>
): Effect.Effect<ReadonlyMap<string, Crypto.KeyObject>, AnchorKeyError> =>
  Effect.map(
    Effect.forEach(files, (file) =>
      Effect.flatMap(readText(file), (pem) =>
        Effect.try({
          try: () => {
            const publicKey = Crypto.createPublicKey(pem)
            if (publicKey.asymmetricKeyType !== "ed25519")
              throw new Error(`not Ed25519: ${publicKey.asymmetricKeyType}`)
            return [keyId(publicKey), publicKey] as const
          },
          catch: (e) =>
            new AnchorKeyError({
              file,
              reason: `không phải khóa công khai Ed25519 / not an Ed25519 public key (${e instanceof Error ? e.message : String(e)})`
            })
        })
      )
    ),
    (pairs) => new Map(pairs)
  )

/**
 * The log's head: its last event's position, global hash and recorded time.
 *
 * @since 0.1.0
 */
export interface Head {
  readonly position: number
  readonly hash: string
  readonly recordedAt: number
}

/**
 * An anchor of a head, signed now by `signer`.
 *
 * @since 0.1.0
 */
export const sign = (signer: Signer, head: Head, signedAt: number): Anchor => {
  const unsigned = { ...head, signedAt, key: signer.key }
  const signature = Crypto.sign(null, Buffer.from(statement(unsigned), "utf8"), signer.privateKey).toString("base64")
  return new Anchor({ ...unsigned, signature })
}

/**
 * Whether an anchor's signature is good under one of the keys (by its key id): `"unknown key"` when none has its id.
 *
 * @since 0.1.0
 */
export const check = (
  anchor: Anchor,
  keys: ReadonlyMap<string, Crypto.KeyObject>
): "good" | "bad signature" | "unknown key" => {
  const publicKey = keys.get(anchor.key)
  if (publicKey === undefined) return "unknown key"
  const ok = Crypto.verify(
    null,
    Buffer.from(statement(anchor), "utf8"),
    publicKey,
    Buffer.from(anchor.signature, "base64")
  )
  return ok ? "good" : "bad signature"
}

const decodeAnchor = Schema.decodeUnknownEither(Anchor, { onExcessProperty: "error" })

/**
 * The anchors of a published file, one JSON object a line (blank lines skipped), with their line numbers.
 *
 * @since 0.1.0
 */
export const readFile = (
  file: string
): Effect.Effect<ReadonlyArray<{ readonly line: number; readonly anchor: Anchor }>, AnchorFileError> =>
  Effect.gen(function* () {
    const text = yield* Effect.tryPromise({
      try: () => Fs.readFile(file, "utf8"),
      catch: (e) => new AnchorFileError({ file, line: 0, reason: e instanceof Error ? e.message : String(e) })
    })
    const out: Array<{ line: number; anchor: Anchor }> = []
    const lines = text.split("\n")
    for (let i = 0; i < lines.length; i++) {
      const raw = lines[i]!.trim()
      if (raw === "") continue
      let json: unknown
      try {
        json = JSON.parse(raw)
      } catch (e) {
        return yield* new AnchorFileError({ file, line: i + 1, reason: `not JSON (${String(e)})` })
      }
      const decoded = decodeAnchor(json)
      if (Either.isLeft(decoded))
        return yield* new AnchorFileError({
          file,
          line: i + 1,
          reason: ParseResult.TreeFormatter.formatErrorSync(decoded.left)
        })
      out.push({ line: i + 1, anchor: decoded.right })
    }
    return out
  })

const storeError = (reason: string) => (cause: unknown) => new EventStore.EventStoreError({ reason, cause })

/**
 * The log's head, or `undefined` when it is empty.
 *
 * @since 0.1.0
 */
export const head: Effect.Effect<Head | undefined, EventStore.EventStoreError, SqlClient.SqlClient> = Effect.flatMap(
  SqlClient.SqlClient,
  (sql) =>
    sql<{
      position: number | string
      hash: string | null
      recorded_at: number | string
    }>`SELECT position, hash, recorded_at FROM ntm_events ORDER BY position DESC LIMIT 1`
).pipe(
  Effect.map((rows) => {
    const r = rows[0]
    return r === undefined
      ? undefined
      : { position: Number(r.position), hash: r.hash ?? HashChain.genesis, recordedAt: Number(r.recorded_at) }
  }),
  Effect.mapError(storeError("reading the log's head failed"))
)

/**
 * The anchors kept in the database (`ntm_anchors`), in order of position: a convenience, since whoever can write
 * the database can delete them; verify against the published file.
 *
 * @since 0.1.0
 */
export const stored: Effect.Effect<
  ReadonlyArray<Anchor>,
  EventStore.EventStoreError,
  SqlClient.SqlClient
> = Effect.flatMap(
  SqlClient.SqlClient,
  (sql) =>
    sql<{
      position: number | string
      hash: string
      recorded_at: number | string
      signed_at: number | string
      key: string
      signature: string
    }>`SELECT position, hash, recorded_at, signed_at, key, signature FROM ntm_anchors ORDER BY position, key`
).pipe(
  Effect.map((rows) =>
    rows.map(
      (r) =>
        new Anchor({
          position: Number(r.position),
          hash: r.hash,
          recordedAt: Number(r.recorded_at),
          signedAt: Number(r.signed_at),
          key: r.key,
          signature: r.signature
        })
    )
  ),
  Effect.mapError(storeError("reading the anchors failed"))
)

/** The position and signing time of the last anchor a key signed, from the table. */
const lastSigned = (key: string) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) =>
      sql<{
        position: number | string
        signed_at: number | string
      }>`SELECT position, signed_at FROM ntm_anchors WHERE key = ${key} ORDER BY position DESC LIMIT 1`
  ).pipe(
    Effect.map((rows) => ({ position: Number(rows[0]?.position ?? 0), signedAt: Number(rows[0]?.signed_at ?? 0) })),
    Effect.mapError(storeError("reading the anchors failed"))
  )

/**
 * Appends a line to the published file and flushes it to disk.
 *
 * @since 0.1.0
 */
export const appendToFile = (file: string, anchor: Anchor) =>
  Effect.tryPromise({
    try: async () => {
      const handle = await Fs.open(file, "a")
      try {
        await handle.appendFile(`${toLine(anchor)}\n`, "utf8")
        await handle.sync()
      } finally {
        await handle.close()
      }
    },
    catch: (e) => new AnchorFileError({ file, line: 0, reason: e instanceof Error ? e.message : String(e) })
  })

/**
 * Signs the log's head now, unless this key already signed it (or the log is empty): appends the anchor to the
 * published file first (when one is named), then keeps it in `ntm_anchors` (where two servers sharing a key and
 * signing the same head keep the first).
 *
 * @since 0.1.0
 */
export const checkpoint = (
  signer: Signer,
  options: { readonly file?: string | undefined } = {}
): Effect.Effect<Anchor | undefined, EventStore.EventStoreError | AnchorFileError, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const h = yield* head
    if (h === undefined) return undefined
    const last = yield* lastSigned(signer.key)
    if (last.position >= h.position) return undefined
    const anchor = sign(signer, h, yield* Clock.currentTimeMillis)
    if (options.file !== undefined) yield* appendToFile(options.file, anchor)
    yield* sql`INSERT INTO ntm_anchors (key, position, hash, recorded_at, signed_at, signature)
      VALUES (${anchor.key}, ${anchor.position}, ${anchor.hash}, ${anchor.recordedAt}, ${anchor.signedAt},
        ${anchor.signature}) ON CONFLICT DO NOTHING`.pipe(Effect.mapError(storeError("storing the anchor failed")))
    return anchor
  })

/**
 * How often a server signs.
 *
 * @since 0.1.0
 */
export interface Schedule {
  /** Sign when the log has moved and this long has passed since the last anchor. */
  readonly every: Duration.DurationInput
  /** Sign when this many events were appended since the last anchor, without waiting for `every`. */
  readonly events: number
  /** How often to look at the head (default: a second). */
  readonly poll?: Duration.DurationInput
}

/**
 * Signs checkpoints for as long as it runs (fork it beside the server), and once more when it is interrupted, so
 * that a server that stops leaves its last head signed. A failed checkpoint is logged and tried again at the next
 * look.
 *
 * @since 0.1.0
 */
export const run = (
  signer: Signer,
  schedule: Schedule,
  options: { readonly file?: string | undefined } = {}
): Effect.Effect<never, never, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const every = Duration.toMillis(schedule.every)
    const poll = schedule.poll ?? Duration.seconds(1)
    let last = yield* lastSigned(signer.key).pipe(
      Effect.tapError((e) =>
        Effect.logError("Không đọc được mốc đã ký / reading the anchors failed").pipe(
          Effect.annotateLogs("error", e.message)
        )
      ),
      Effect.orElseSucceed(() => ({ position: 0, signedAt: 0 }))
    )
    const attempt = Effect.flatMap(checkpoint(signer, options), (anchor) =>
      anchor === undefined
        ? Effect.void
        : Effect.sync(() => {
            last = { position: anchor.position, signedAt: anchor.signedAt }
          }).pipe(
            Effect.zipRight(
              Effect.logDebug("Đã ký mốc / anchor signed").pipe(
                Effect.annotateLogs({ position: anchor.position, key: anchor.key })
              )
            )
          )
    ).pipe(
      Effect.catchAll((e) =>
        Effect.logError("Không ký được mốc / anchoring failed").pipe(Effect.annotateLogs("error", e.message))
      )
    )
    const tick = Effect.gen(function* () {
      const h = yield* Effect.orElseSucceed(head, () => undefined)
      if (h === undefined || h.position <= last.position) return
      const now = yield* Clock.currentTimeMillis
      if (h.position - last.position >= schedule.events || now - last.signedAt >= every) yield* attempt
    })
    return yield* Effect.forever(Effect.zipRight(Effect.sleep(poll), tick)).pipe(Effect.onInterrupt(() => attempt))
  })
