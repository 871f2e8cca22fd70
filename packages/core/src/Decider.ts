/**
 * The shape of every aggregate: a pure decider (`initial`, `evolve`, `decide`).
 *
 * `decide` is total and pure: time, ids, the catalog and anything else it needs come in as the command's fields or
 * as its `context` argument, never read inside. It returns the events to record or a typed rejection; repeating an
 * already-satisfied command returns no events.
 *
 * @since 0.1.0
 */
import type * as Either from "effect/Either"

/**
 * @since 0.1.0
 */
export interface Decider<in Command, in out Event, in out State, out Rejection, in Context = void> {
  readonly initial: State
  readonly evolve: (state: State, event: Event) => State
  readonly decide: (command: Command, state: State, context: Context) => Either.Either<ReadonlyArray<Event>, Rejection>
}

/**
 * Folds events into a state from the decider's initial state.
 *
 * @since 0.1.0
 */
export const fold = <E, S>(
  decider: Pick<Decider<never, E, S, unknown, never>, "initial" | "evolve">,
  events: Iterable<E>
): S => {
  let state = decider.initial
  for (const e of events) state = decider.evolve(state, e)
  return state
}
