/**
 * The hash chains of the log, defined once so that TypeScript (SQLite appends, {@link SqlEventStore.verify}) and
 * PostgreSQL (the `ntm_append` function of the migrations) compute the same hashes.
 *
 * - An event's **content hash** is SHA-256 over its stream, type, schema version and recorded time (as a JSON array)
 *   and, after a newline, its data exactly as stored (the JSON text of the `data` column, byte for byte). It leaves
 *   out the stream version and the position, which the writer may not know before the store draws them.
 * - A **chain step** is SHA-256 over the previous hash, a newline, a number, a newline and the content hash, in
 *   lowercase hex. The stream chain (`stream_hash`) numbers a step with the event's stream version; the global chain
 *   (`hash`) with its position. Both start from {@link genesis}.
 *
 * An event edited behind the store's back changes its content hash, so both chains break at it; an event inserted,
 * removed or renumbered breaks the chain that numbers it.
 *
 * @since 0.1.0
 */

import * as Crypto from "node:crypto"

/**
 * The hash before the first event.
 *
 * @since 0.1.0
 */
export const genesis = "0".repeat(64)

/**
 * SHA-256 in lowercase hex: one-shot `crypto.hash` where Node has it (20.12 and later), about twice as fast.
 *
 * @since 0.1.0
 */
export const sha256: (input: string) => string =
  typeof Crypto.hash === "function"
    ? (input) => Crypto.hash("sha256", input, "hex")
    : (input) => Crypto.createHash("sha256").update(input).digest("hex")

/**
 * The content hash of an event, from its data as stored (`data`: the JSON text).
 *
 * @since 0.1.0
 */
export const contentHash = (stream: string, type: string, version: number, recordedAt: number, data: string): string =>
  sha256(`${JSON.stringify([stream, type, version, recordedAt])}\n${data}`)

/**
 * One step of a chain: the hash after `previous`, for the event numbered `n` (stream version or position) with the
 * given content hash.
 *
 * @since 0.1.0
 */
export const chainHash = (previous: string, n: number, content: string): string =>
  sha256(`${previous}\n${n}\n${content}`)
