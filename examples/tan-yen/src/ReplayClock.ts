/**
 * A clock set by hand, so that a history can be recorded at the times it was originally recorded: the store stamps
 * each event with the clock's time, and "as known at" questions then have real answers.
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"

export interface ReplayClock {
  readonly clock: Clock.Clock
  readonly set: (epochMillis: number) => void
}

export const make = (): ReplayClock => {
  let now = 0
  const clock: Clock.Clock = {
    [Clock.ClockTypeId]: Clock.ClockTypeId,
    unsafeCurrentTimeMillis: () => now,
    currentTimeMillis: Effect.sync(() => now),
    unsafeCurrentTimeNanos: () => BigInt(now) * 1_000_000n,
    currentTimeNanos: Effect.sync(() => BigInt(now) * 1_000_000n),
    sleep: () => Effect.void
  }
  return {
    clock,
    set: (ms) => {
      now = ms
    }
  }
}
