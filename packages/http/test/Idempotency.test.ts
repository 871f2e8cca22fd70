/**
 * `Idempotency-Key` over HTTP, through raw requests so that answers are compared byte for byte: a retry answers what
 * the first request was answered, a key reused for another request is refused, and requests racing with one key
 * append once.
 */
import { expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Bench from "./helpers.js"

const { units } = Bench

/** A `RecordEvidence` body for commune C1. */
const body = (entry: string, value = 1) =>
  JSON.stringify({
    _tag: "RecordEvidence",
    entry,
    unit: units.C1,
    catalog: Bench.catalogId,
    code: "2.1",
    value: { _tag: "Count", value },
    effective: "2024-06-01",
    sources: []
  })

/** Posts evidence as the commune and reads the whole answer: status, ETag and body text. */
const post = (payload: string, headers: Record<string, string>) =>
  Effect.gen(function* () {
    const bench = yield* Bench.TestBench
    const res = yield* Effect.promise(() =>
      bench.fetch("/evidence", {
        method: "POST",
        as: "commune",
        headers: { "content-type": "application/json", ...headers },
        body: payload
      })
    )
    return { status: res.status, etag: res.headers.get("etag"), body: yield* Effect.promise(() => res.text()) }
  })

/** The version of C1's evidence stream, as its ETag says. */
const version = Effect.gen(function* () {
  const bench = yield* Bench.TestBench
  const res = yield* Effect.promise(() => bench.fetch(`/units/${Bench.seg(units.C1)}/evidence`, { as: "auditor" }))
  yield* Effect.promise(() => res.text())
  return res.headers.get("etag")!
})

layer(Bench.layer(), { excludeTestServices: true })("Idempotency-Key", (it) => {
  it.effect("a key sent again with another request answers 422 naming the key, and appends nothing", () =>
    Effect.gen(function* () {
      const first = yield* post(body("idem-1"), { "idempotency-key": "import-row-1" })
      expect(first.status).toBe(200)
      const at = yield* Bench.eventCount
      const other = yield* post(body("idem-2"), { "idempotency-key": "import-row-1" })
      expect(other.status).toBe(422)
      const problem = JSON.parse(other.body) as { _tag: string; code: string; detail: string; facts: unknown }
      expect(problem).toMatchObject({
        _tag: "Unprocessable",
        code: "IdempotencyKeyReused",
        facts: { key: "import-row-1" }
      })
      expect(problem.detail).toContain('"import-row-1"')
      // The same command with another value is another request too.
      expect((yield* post(body("idem-1", 2), { "idempotency-key": "import-row-1" })).status).toBe(422)
      expect(yield* Bench.eventCount).toBe(at)
    })
  )

  it.effect("a request retried under its key answers exactly what it answered first, with or without If-Match", () =>
    Effect.gen(function* () {
      const read = yield* version
      const first = yield* post(body("retry-1"), { "idempotency-key": "retry-1", "if-match": read })
      expect(first.status).toBe(200)
      expect((JSON.parse(first.body) as { events: Array<unknown> }).events).toHaveLength(1)
      // The stream moves on: the retry's If-Match is stale, and the answer is still the first one.
      expect((yield* post(body("retry-other"), {})).status).toBe(200)
      const at = yield* Bench.eventCount
      expect(yield* post(body("retry-1"), { "idempotency-key": "retry-1", "if-match": read })).toEqual(first)
      // Without If-Match, after a write that changed nothing the second time.
      const plain = yield* post(body("retry-2"), { "idempotency-key": "retry-2" })
      expect(plain.status).toBe(200)
      expect(yield* post(body("retry-2"), { "idempotency-key": "retry-2" })).toEqual(plain)
      expect(yield* Bench.eventCount).toBe(at + 1)
      // A command already satisfied when first sent is answered with what it was answered then: no events.
      const satisfied = yield* post(body("retry-2"), { "idempotency-key": "retry-2-again" })
      expect((JSON.parse(satisfied.body) as { events: Array<unknown> }).events).toEqual([])
      expect((yield* post(body("retry-3"), {})).status).toBe(200)
      expect(yield* post(body("retry-2"), { "idempotency-key": "retry-2-again" })).toEqual(satisfied)
    })
  )

  it.effect("twenty requests with one key at once append once, and all answer the same", () =>
    Effect.gen(function* () {
      const at = yield* Bench.eventCount
      const answers = yield* Effect.all(
        Array.from({ length: 20 }, () => post(body("race-1"), { "idempotency-key": "race-1" })),
        { concurrency: "unbounded" }
      )
      expect(yield* Bench.eventCount).toBe(at + 1)
      expect(answers[0]!.status).toBe(200)
      expect((JSON.parse(answers[0]!.body) as { events: Array<unknown> }).events).toHaveLength(1)
      for (const a of answers) expect(a).toEqual(answers[0])
    })
  )
})
