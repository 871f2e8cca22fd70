/**
 * Fuzzing every write endpoint with generated hostile bodies and headers, seeded (set `NTM_FUZZ_SEED` to replay a
 * run, `NTM_FUZZ_RUNS` for more or fewer requests per endpoint; fast-check prints the seed and the path of a
 * failure). Each body is a well-formed command broken in one to three places (a hostile value, a field removed or
 * added), sometimes rewritten as text (a number past the doubles, a duplicated key, a byte-order mark, nesting,
 * cut short), sent with hostile content types, versions, keys and tokens, through the server on SQLite. For every
 * request:
 * - the answer is not a 5xx, and comes within `timeBound` ms;
 * - a refused request (4xx) is a problem body, and the log holds as many events after it as before;
 * and after each endpoint's run, every event stored (by the requests the server accepted) decodes.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import { expect, layer } from "@effect/vitest"
import { EventStore, Events } from "@ntm/core"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import * as fc from "fast-check"
import * as Bench from "./helpers.js"
import { type Endpoint, endpoints } from "./writes.js"

const seed = Number(process.env.NTM_FUZZ_SEED ?? 20_261_204)
const runs = Number(process.env.NTM_FUZZ_RUNS ?? 500)

/** The slowest answer accepted (ms): a hang, or a body that takes the server seconds, fails the test. */
const timeBound = 3_000

// ---------------------------------------------------------------------------------------------------------------
// Hostile values
// ---------------------------------------------------------------------------------------------------------------

const char = (min: number, max: number) => fc.integer({ min, max }).map((c) => String.fromCharCode(c))

const hostileString = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: char(0, 0x1f), minLength: 1, maxLength: 8 }) },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      "",
      " ",
      "\u0000",
      "a\u0000b",
      "\u202Eevil",
      "\uFEFF",
      "\uD800",
      "\uDFFF\uD800",
      "𝕏".repeat(100),
      "'; DROP TABLE ntm_events; --",
      "<script>alert(1)</script>",
      "../../etc/passwd",
      "__proto__",
      "constructor",
      "%00",
      "\r\n\r\nHTTP/1.1 200 OK",
      "9999-12-31",
      "0000-00-00",
      "2024-02-30",
      "+275760-09-13",
      "-000001-01-01",
      "1e999",
      "NaN",
      "Infinity",
      "test/commune",
      "p/d/c1"
    )
  },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 100_000 }).map((n) => "x".repeat(n)) }
)

const hostileNumber = fc.oneof(
  fc.constantFrom(0, -0, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 5e-324, 0.1, -1, 2 ** 53, 1e21),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer()
)

const { hostileValue } = fc.letrec<{ hostileValue: unknown }>((tie) => ({
  hostileValue: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    hostileString,
    hostileNumber,
    fc.constantFrom(null, true, false),
    fc.array(tie("hostileValue"), { maxLength: 4 }),
    fc.dictionary(fc.oneof(hostileString, fc.constantFrom("_tag", "__proto__", "constructor")), tie("hostileValue"), {
      maxKeys: 4
    })
  )
}))

/** Every path to a value inside a JSON value. */
const pathsOf = (v: unknown, prefix: ReadonlyArray<string | number> = []): Array<ReadonlyArray<string | number>> => {
  if (Array.isArray(v)) return v.flatMap((x, i) => [[...prefix, i], ...pathsOf(x, [...prefix, i])])
  if (typeof v === "object" && v !== null)
    return Object.entries(v).flatMap(([k, x]) => [[...prefix, k], ...pathsOf(x, [...prefix, k])])
  return []
}

type Mutation =
  | { readonly _tag: "Leaf"; readonly path: number; readonly string: string; readonly number: number }
  | { readonly _tag: "Set"; readonly path: number; readonly value: unknown }
  | { readonly _tag: "Delete"; readonly path: number }
  | { readonly _tag: "Add"; readonly path: number; readonly key: string; readonly value: unknown }

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      _tag: fc.constant("Leaf" as const),
      path: fc.nat(),
      string: hostileString,
      number: hostileNumber
    })
  },
  { weight: 2, arbitrary: fc.record({ _tag: fc.constant("Set" as const), path: fc.nat(), value: hostileValue }) },
  { weight: 1, arbitrary: fc.record({ _tag: fc.constant("Delete" as const), path: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      _tag: fc.constant("Add" as const),
      path: fc.nat(),
      key: fc.oneof(hostileString, fc.constantFrom("__proto__", "by", "_tag", "position")),
      value: hostileValue
    })
  }
)

/** The paths to the strings and numbers of a JSON value. */
const leavesOf = (v: unknown) =>
  pathsOf(v).filter((p) => {
    let x: unknown = v
    for (const k of p) x = (x as Record<string | number, unknown>)[k]
    return typeof x === "string" || typeof x === "number"
  })

/**
 * A copy of a template with the mutations applied, each at one of its paths chosen by index: a string or number
 * replaced by a hostile one (the most frequent: such a body often passes the schema, and is then stored), any value
 * replaced, a field removed or added.
 */
const mutate = (template: unknown, mutations: ReadonlyArray<Mutation>): unknown => {
  const body = structuredClone(template) as Record<string, unknown>
  for (const m of mutations) {
    const paths = m._tag === "Leaf" ? leavesOf(body) : pathsOf(body)
    if (paths.length === 0) break
    const path = paths[m.path % paths.length]!
    // biome-ignore lint/suspicious/noExplicitAny: a walk through a JSON value by a path of its own keys
    let parent: any = body
    for (const k of path.slice(0, -1)) parent = parent[k]
    const last = path.at(-1)!
    if (m._tag === "Leaf") parent[last] = typeof parent[last] === "number" ? m.number : m.string
    else if (m._tag === "Set") parent[last] = m.value
    else if (m._tag === "Delete") {
      if (Array.isArray(parent)) parent.splice(Number(last), 1)
      else delete parent[last]
    } else {
      const target = parent[last]
      if (typeof target === "object" && target !== null && !Array.isArray(target))
        Object.defineProperty(target, m.key, { value: m.value, enumerable: true, configurable: true, writable: true })
      else parent[last] = m.value
    }
  }
  return body
}

/** Rewrites a body's text: what `JSON.stringify` never writes but a client can send. */
const textual = fc.oneof(
  { weight: 12, arbitrary: fc.constant((s: string) => s) },
  { weight: 1, arbitrary: fc.constant((s: string) => s.replace(/(-?\d+(\.\d+)?)(?=[,}\]])/, "1e999")) },
  { weight: 1, arbitrary: fc.constant((s: string) => s.replace(/(-?\d+(\.\d+)?)(?=[,}\]])/, "-1e999")) },
  { weight: 1, arbitrary: fc.constant((s: string) => s.replace(/^\{/, '{"_tag":"X","_tag":"Y",')) },
  { weight: 1, arbitrary: fc.constant((s: string) => `\uFEFF${s}`) },
  { weight: 1, arbitrary: fc.constant((s: string) => s.replace(/"(\w+)":"/, '"$1":"\\u0000\\ud800')) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 1, max: 3_000 }).map((n) => (s: string) => `${"[".repeat(n)}${s}${"]".repeat(n)}`)
  },
  { weight: 1, arbitrary: fc.nat().map((n) => (s: string) => s.slice(0, n % Math.max(1, s.length))) },
  { weight: 1, arbitrary: fc.constant((s: string) => `${s} trailing`) }
)

const printable = fc.string({ unit: char(0x20, 0x7e), maxLength: 60 })

const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constant("application/json") },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      "application/json; charset=utf-8",
      "APPLICATION/JSON",
      "application/json;charset=latin1",
      "application/vnd.api+json",
      "application/json, text/plain",
      undefined,
      "text/plain",
      "text/json",
      "multipart/form-data; boundary=x",
      "multipart/form-data",
      "application/x-www-form-urlencoded",
      "application/xml",
      "application/octet-stream",
      ""
    )
  },
  { weight: 1, arbitrary: printable }
)

/** A header sent one time in five (most requests are judged by their body). */
const rarely = (a: fc.Arbitrary<string>) =>
  fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: a })

/** A body's own ids made fresh for each request, so that it is judged on its content rather than as a repeat. */
const fresh = (e: Endpoint, n: number): Record<string, unknown> => {
  switch (e.path) {
    case "/catalogs":
      return { ...e.template, version: `fuzz-${n}` }
    case "/hierarchy":
      return { ...e.template, unit: `${Bench.units.D}/fuzz${n}` }
    case "/evidence":
      return { ...e.template, entry: `fuzz-${n}` }
    case "/commitments":
      return { ...e.template, commitment: `fuzz-${n}` }
    case "/dossiers":
      return { ...e.template, dossier: `fuzz-${n}` }
    default:
      return { ...e.template, recognition: `fuzz-${n}` }
  }
}

let requests = 0

const headers = (e: Endpoint, bench: Bench.Bench) =>
  fc.record(
    {
      "content-type": contentType,
      "if-match": rarely(fc.oneof(printable, fc.constantFrom('"0"', '"1"', 'W/"3"', "*", '"99999999999999999999"'))),
      "idempotency-key": rarely(
        fc.oneof(
          printable,
          fc.integer({ min: 190, max: 300 }).map((n) => "k".repeat(n))
        )
      ),
      authorization: fc.oneof(
        { weight: 9, arbitrary: fc.constant(`Bearer ${bench.tokens[e.as].token}`) },
        { weight: 1, arbitrary: printable.map((t) => `Bearer ${t}`) }
      )
    },
    { requiredKeys: ["authorization", "content-type", "if-match", "idempotency-key"] }
  )

// ---------------------------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------------------------

const fuzz = (
  name: string,
  bench: Layer.Layer<Bench.TestBench | SqlClient.SqlClient | EventStore.EventStore>,
  runs: number
) =>
  layer(bench, { excludeTestServices: true })(name, (it) => {
    for (const e of endpoints)
      it.effect(
        `${e.path}: ${runs} hostile bodies and headers: no 5xx, no hang, a refusal stores nothing, all stored decodes`,
        () =>
          Effect.gen(function* () {
            const bench = yield* Bench.TestBench
            const sql = yield* SqlClient.SqlClient
            const store = yield* EventStore.EventStore
            const count = () => Effect.runPromise(Effect.provideService(Bench.eventCount, SqlClient.SqlClient, sql))
            let accepted = 0
            yield* Effect.promise(() =>
              fc.assert(
                fc.asyncProperty(
                  fc.oneof(
                    { weight: 3, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 1 }) },
                    { weight: 1, arbitrary: fc.array(mutation, { minLength: 2, maxLength: 3 }) }
                  ),
                  textual,
                  headers(e, bench),
                  async (mutations, rewrite, sent) => {
                    const body = rewrite(JSON.stringify(mutate(fresh(e, ++requests), mutations)) ?? "")
                    const h = Object.fromEntries(
                      Object.entries(sent).filter((kv): kv is [string, string] => kv[1] !== undefined)
                    )
                    const label = `${e.path} ${JSON.stringify(h).slice(0, 300)} ${body.slice(0, 300)}`
                    const before = await count()
                    const started = performance.now()
                    const res = await fetch(`${bench.baseUrl}${e.path}`, {
                      method: "POST",
                      headers: h,
                      body,
                      signal: AbortSignal.timeout(timeBound * 2)
                    })
                    const text = await res.text()
                    const elapsed = performance.now() - started
                    expect(res.status, `${label} → ${text.slice(0, 300)}`).toBeLessThan(500)
                    expect(elapsed, label).toBeLessThan(timeBound)
                    if (res.status >= 400) {
                      expect(await count(), `${label}: a refused request changed the log`).toBe(before)
                      const problem = JSON.parse(text) as { _tag?: unknown }
                      expect(typeof problem._tag, label).toBe("string")
                    } else accepted++
                  }
                ),
                { seed, numRuns: runs, endOnFailure: true }
              )
            )
            // Every event stored, by the bench or by an accepted request, decodes.
            const all = yield* Stream.runCollect(store.readAll())
            const unreadable = Chunk.toReadonlyArray(all)
              .map(Events.decode)
              .filter(Either.isLeft)
              .map((l) => l.left.message.slice(0, 300))
            expect(unreadable, `${accepted} accepted`).toEqual([])
          }),
        120_000
      )
  })

fuzz("fuzz on SQLite", Bench.layer(), runs)

// The same on PostgreSQL, fewer runs: a value that SQLite stores may be one that PostgreSQL refuses (a 5xx).
fuzz(
  "fuzz on PostgreSQL",
  Layer.unwrapScoped(Effect.map(Bench.freshPgDatabase, (url) => Bench.layer({ _tag: "Pg", url }))),
  Math.ceil(runs / 5)
)
