/**
 * A given/when/then kit for deciders (after Emmett's `DeciderSpecification`), and the three properties every
 * aggregate must have:
 *
 * - (a) idempotence: re-deciding the same command on the post-state yields no events;
 * - (b) `evolve` accepts every event that `decide` emits: each one changes the state, none throws, the pre-state
 *   is not mutated, and the post-state equals the state folded afresh from the given and emitted events;
 * - (c) a rejection emits nothing: `decide` returns a tagged `Left` (never throws, never partial events) and leaves
 *   the state as it was.
 *
 * Every `then`, `thenNothing` and `thenRejects` also checks the properties that apply to its case, so each
 * example test is a property check on one point too.
 */
import { expect } from "@effect/vitest"
import * as Either from "effect/Either"
import * as fc from "fast-check"
import { type Decider, fold } from "../src/Decider.js"

/** The `_tag`s of a rejection union. */
export type TagOf<R> = R extends { readonly _tag: infer T extends string } ? T : never

/**
 * The context of a decision: a value, or a function of the state just folded (as the command handler loads it
 * afresh on every attempt). A context that is itself a function must be wrapped in one.
 */
export type ContextArg<S, Ctx> = Ctx | ((state: S) => Ctx)

const resolve = <S, Ctx>(context: ContextArg<S, Ctx> | undefined, state: S): Ctx =>
  typeof context === "function" ? (context as (state: S) => Ctx)(state) : (context as Ctx)

/**
 * A deep copy of a state to compare with after deciding and evolving, to catch a mutation of shared structure
 * (which a second fold would share too). Class prototypes are dropped; `toEqual` compares own fields only.
 */
const snapshot = <S>(state: S): S => structuredClone(state)

const describeRejection = (r: unknown): string => {
  const tag = typeof r === "object" && r !== null && "_tag" in r ? String(r._tag) : "?"
  const message = r instanceof Error ? r.message : JSON.stringify(r)
  return `${tag}: ${message}`
}

/** One decision to check: the events already in the stream, the command, and its context. */
export interface PropertyCase<C, E, S, Ctx> {
  readonly given: ReadonlyArray<E>
  readonly command: C
  readonly context?: ContextArg<S, Ctx>
}

/**
 * Checks the three decider properties for one command on the state folded from `given`, and returns what the
 * decider decided (so that a caller walking a sequence can carry on from the post-state).
 */
export const checkDeciderProperties = <C, E, S, R, Ctx>(
  decider: Decider<C, E, S, R, Ctx>,
  c: PropertyCase<C, E, S, Ctx>
): Either.Either<ReadonlyArray<E>, R> => {
  const state = fold(decider, c.given)
  const before = snapshot(state)
  let decided: Either.Either<ReadonlyArray<E>, R> | undefined
  expect(() => {
    decided = decider.decide(c.command, state, resolve(c.context, state))
  }, "decide never throws").not.toThrow()
  const result = decided!

  if (Either.isLeft(result)) {
    // (c) A rejection is a tagged value, the same on a second look, and the state is untouched.
    const rejection: unknown = result.left
    expect(rejection, "a rejection is a tagged value").toHaveProperty("_tag")
    expect(typeof (rejection as { _tag: unknown })._tag).toBe("string")
    expect(state, "decide does not mutate the state when it rejects").toEqual(before)
    const again = decider.decide(c.command, state, resolve(c.context, state))
    expect(again, "decide is pure: the same command on the same state is rejected the same way").toEqual(result)
    return result
  }

  // (b) evolve accepts every event that decide emits.
  const events = result.right
  let post = state
  for (const event of events) {
    let next: S | undefined
    expect(() => {
      next = decider.evolve(post, event)
    }, "evolve never throws on an event that decide emitted").not.toThrow()
    expect(next, `evolve changes the state on ${(event as { _tag?: string })._tag ?? "an event"}`).not.toEqual(post)
    post = next!
  }
  expect(state, "decide and evolve do not mutate the state they are given").toEqual(before)
  expect(post, "the post-state equals the state folded from the given and emitted events").toEqual(
    fold(decider, [...c.given, ...events])
  )

  // (a) Idempotence: the same command on the post-state is already satisfied.
  const again = decider.decide(c.command, post, resolve(c.context, post))
  if (Either.isLeft(again)) {
    expect.unreachable(`re-deciding on the post-state was rejected: ${describeRejection(again.left)}`)
  }
  expect(again.right, "re-deciding the same command on the post-state yields no events").toEqual([])
  return result
}

/** The last step of a spec: what the decision should have been. */
export interface Then<E, R> {
  /** The command emits exactly these events (and the three properties hold). */
  readonly then: (expected: ReadonlyArray<E>) => ReadonlyArray<E>
  /** The command is rejected with this tag, or with a rejection satisfying the predicate; returns the rejection. */
  readonly thenRejects: (expected: TagOf<R> | ((rejection: R) => boolean)) => R
  /** The command is accepted and emits nothing (it was already satisfied). */
  readonly thenNothing: () => void
}

/** @see DeciderSpec */
export interface When<C, E, R> {
  readonly when: (command: C) => Then<E, R>
}

/** @see DeciderSpec */
export interface Spec<C, E, R> {
  readonly given: (events?: ReadonlyArray<E>) => When<C, E, R>
}

/**
 * `DeciderSpec.for(decider, context?).given(events).when(command).then(events)`.
 */
export const DeciderSpec = {
  for: <C, E, S, R, Ctx = void>(decider: Decider<C, E, S, R, Ctx>, context?: ContextArg<S, Ctx>): Spec<C, E, R> => ({
    given: (given = []) => ({
      when: (command) => {
        const decide = () =>
          checkDeciderProperties(decider, context === undefined ? { given, command } : { given, command, context })
        return {
          // biome-ignore lint/suspicious/noThenProperty: the given/when/then vocabulary of Emmett's DeciderSpecification; a spec is never awaited.
          then: (expected) => {
            const result = decide()
            if (Either.isLeft(result)) {
              expect.unreachable(`expected events, got the rejection ${describeRejection(result.left)}`)
            }
            expect(result.right).toStrictEqual(expected)
            return result.right
          },
          thenNothing: () => {
            const result = decide()
            if (Either.isLeft(result)) {
              expect.unreachable(`expected no events, got the rejection ${describeRejection(result.left)}`)
            }
            expect(result.right).toEqual([])
          },
          thenRejects: (expected) => {
            const result = decide()
            if (Either.isRight(result)) {
              expect.unreachable(`expected a rejection, got ${result.right.length} event(s)`)
            }
            const rejection = result.left
            if (typeof expected === "function") {
              expect(expected(rejection), `the rejection ${describeRejection(rejection)} satisfies the predicate`).toBe(
                true
              )
            } else {
              expect((rejection as { _tag: string })._tag, describeRejection(rejection)).toBe(expected)
            }
            return rejection
          }
        }
      }
    })
  })
}

/**
 * A step of a generated command sequence: a new command, the repeat of one issued earlier (by index, modulo the
 * number issued), or `"again"`, the repeat of the last one (a retry).
 */
export type Step<C> = C | number | "again"

/** Steps over a command generator: mostly new commands, with repeats of earlier ones and retries of the last. */
export const stepsArb = <C>(
  commandArb: fc.Arbitrary<C>,
  options: { readonly minLength?: number; readonly maxLength?: number } = {}
): fc.Arbitrary<ReadonlyArray<Step<C>>> =>
  fc.array(
    fc.oneof(
      { arbitrary: commandArb as fc.Arbitrary<Step<C>>, weight: 4 },
      { arbitrary: fc.nat(20) as fc.Arbitrary<Step<C>>, weight: 1 },
      { arbitrary: fc.constant<Step<C>>("again"), weight: 1 }
    ),
    { minLength: options.minLength ?? 1, maxLength: options.maxLength ?? 15 }
  )

/**
 * Walks a sequence of steps from the `given` events, checking the three properties on every command and carrying
 * on from its post-state. Each outcome is added to `outcomes` as `"<Command>: events"`, `"<Command>: nothing"` or
 * the rejection's tag, so that a test can check that its generators reach what they should. Returns the history.
 */
export const checkSequence = <C extends { readonly _tag: string }, E, S, R extends { readonly _tag: string }, Ctx>(
  decider: Decider<C, E, S, R, Ctx>,
  steps: ReadonlyArray<Step<C>>,
  options: {
    readonly given?: ReadonlyArray<E>
    readonly context?: ContextArg<S, Ctx>
    readonly outcomes?: Set<string>
  } = {}
): ReadonlyArray<E> => {
  const history: Array<E> = [...(options.given ?? [])]
  const issued: Array<C> = []
  for (const step of steps) {
    const command =
      step === "again" ? issued.at(-1) : typeof step === "number" ? issued[step % Math.max(issued.length, 1)] : step
    if (command === undefined) continue
    issued.push(command)
    const result = checkDeciderProperties(
      decider,
      options.context === undefined
        ? { given: history, command }
        : { given: history, command, context: options.context }
    )
    if (Either.isRight(result)) {
      history.push(...result.right)
      options.outcomes?.add(`${command._tag}: ${result.right.length === 0 ? "nothing" : "events"}`)
    } else {
      options.outcomes?.add(result.left._tag)
    }
  }
  return history
}
