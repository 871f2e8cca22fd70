/**
 * The Tân Yên demo: the history of Tân Yên district (Bắc Giang) recorded into the database at its historical
 * recording times, so that "as of" and "as known at" questions have real answers.
 *
 * The store's recorded time never goes backwards, so the history can only go into an empty log: {@link load}
 * refuses a log that holds anything else ({@link Errors.LogNotEmpty}), and does nothing when the demo is already
 * there.
 *
 * @since 0.1.0
 */
import type * as SqlClient from "@effect/sql/SqlClient"
import { Commands, type EventStore } from "@ntm/core"
import * as TanYen from "@ntm/example-tan-yen/TanYen"
import * as Effect from "effect/Effect"
import * as Errors from "./Errors.js"
import * as Log from "./Log.js"

/**
 * The demo's district: `bac-giang/tan-yen`, and the illustrative catalog it is scored against.
 *
 * @since 0.1.0
 */
export const ids = TanYen.ids

/**
 * What the log holds: nothing, the demo (perhaps with more after it), or other events.
 *
 * @since 0.1.0
 */
export type Status = "Empty" | "Demo" | "Other"

/**
 * Whether the log is empty, holds the demo, or holds something else.
 *
 * @since 0.1.0
 */
export const status: Effect.Effect<
  { readonly status: Status; readonly lastPosition: number },
  unknown,
  EventStore.EventStore | SqlClient.SqlClient
> = Effect.gen(function* () {
  const last = yield* Log.lastPosition
  if (last === 0) return { status: "Empty", lastPosition: 0 } as const
  const catalog = yield* Commands.loadCatalog(ids.catalog)
  return { status: catalog.versions.size > 0 ? "Demo" : "Other", lastPosition: last } as const
})

/**
 * Loads the demo into an empty log. Returns how many historical facts were recorded (0 when the demo was already
 * there); fails with {@link Errors.LogNotEmpty} when the log holds other events.
 *
 * @since 0.1.0
 */
export const load = Effect.gen(function* () {
  const s = yield* status
  if (s.status === "Demo") return 0
  if (s.status === "Other") return yield* new Errors.LogNotEmpty({ lastPosition: s.lastPosition })
  return yield* TanYen.record
})
