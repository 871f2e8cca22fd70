/**
 * Hostile input, generated: malformed and hostile bodies, headers, paths and query strings sent with raw `fetch`
 * to every write endpoint (and hostile paths and parameters to the reads). Every answer is a 4xx problem body
 * (`_tag`, and a bilingual title or a code), never a 5xx, and the event log does not move.
 */
import { expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as fc from "fast-check"
import * as Bench from "./helpers.js"
import { type Endpoint, endpoints } from "./writes.js"

const { units } = Bench

// ---------------------------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------------------------

/** Just under the server's 1 MiB limit once in a body (none of these characters is escaped in JSON). */
const megabyte = "'<>x".repeat(250 * 1024)

/** Strings an attacker would try. Every one breaks the schema of an id, a date or a tag. */
const hostile = fc.oneof(
  fc.constantFrom(
    "'; DROP TABLE ntm_events; --",
    '" OR 1=1 --',
    "1); DELETE FROM ntm_tokens; --",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "../../etc/passwd",
    "%00",
    "\u0000",
    "\uFFFD\uD800",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4j probe, meant literally
    "${jndi:ldap://x}",
    "__proto__",
    " ",
    "",
    megabyte
  ),
  fc.string({ maxLength: 40 }).map((s) => `'; ${s}`),
  fc.string({ unit: "grapheme", maxLength: 40 }).map((s) => `<${s}>`)
)

/** A value of the wrong type for any required field (or its absence). */
const wrong = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.integer(), { minLength: 1, maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.integer(), { maxKeys: 2 })
)

/** A body that does not decode, as JSON. */
const brokenBody = (e: Endpoint) =>
  fc.oneof(
    // a required field of the wrong type, or missing
    fc.tuple(fc.constantFrom(...e.required), wrong).map(([k, v]) => ({ ...e.template, [k]: v })),
    // an unknown tag (a catalog has none: an unknown kind of unit then)
    fc
      .oneof(hostile, fc.string({ maxLength: 20 }))
      .map((tag) =>
        "_tag" in e.template ? { ...e.template, _tag: `X${tag}` } : { ...e.template, appliesTo: [`X${tag}`] }
      ),
    // hostile strings where a tag, a date, a pattern or a structure goes
    fc.tuple(fc.constantFrom(...e.constrained), hostile).map(([k, v]) => ({ ...e.template, [k]: v })),
    // anything at all
    fc.jsonValue({ maxDepth: 3 }).filter((v) => typeof v !== "object" || v === null || !("_tag" in v))
  )

/** Bytes that are not a JSON document: broken JSON, invalid UTF-8, nothing. */
const brokenBytes = fc.oneof(
  fc.string({ maxLength: 60 }).map((s) => new TextEncoder().encode(`{"_tag": "RecordEvidence", ${s}`)),
  fc.constantFrom("", "{", "[1,2", "nul", "{'a': 1}", '{"a": undefined}').map((s) => new TextEncoder().encode(s)),
  fc
    .uint8Array({ minLength: 1, maxLength: 64 })
    .map((bytes) => Uint8Array.from([0x7b, 0x22, 0xff, 0xfe, ...bytes, 0xc3, 0x28, 0x22, 0x7d])),
  fc.constant(new TextEncoder().encode(`{"_tag":"${megabyte}`))
)

const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) })

/** Header values that are not a version (`If-Match`) or not a key (`Idempotency-Key`). */
const badHeaders = fc.oneof(
  printable.filter((s) => !/^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.test(s) && s.trim() !== "").map((v) => ({ "if-match": v })),
  fc
    .constantFrom("'; DROP TABLE ntm_events; --", "<script>", '"1", "2"', "*", "W/", "-1", '"1e3"')
    .map((v) => ({ "if-match": v })),
  fc.integer({ min: 201, max: 5000 }).map((n) => ({ "idempotency-key": "k".repeat(n) }))
)

// ---------------------------------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------------------------------

/** The answer is a 4xx problem. */
const isProblem = async (res: Response, label: string) => {
  const text = await res.text()
  expect(res.status, `${label}: ${text.slice(0, 300)}`).toBeGreaterThanOrEqual(400)
  expect(res.status, `${label}: ${text.slice(0, 300)}`).toBeLessThan(500)
  let body: { _tag?: unknown; title?: { vi?: unknown; en?: unknown }; code?: unknown }
  try {
    body = JSON.parse(text)
  } catch {
    throw new Error(`${label}: not JSON (${res.status}): ${text.slice(0, 200)}`)
  }
  expect(typeof body._tag, label).toBe("string")
  const titled = typeof body.title?.vi === "string" && typeof body.title?.en === "string"
  expect(titled || typeof body.code === "string", `${label}: ${text.slice(0, 200)}`).toBe(true)
}

const runs = { numRuns: 30 }

/** Whether a string can go into a URL (a lone surrogate cannot: `encodeURIComponent` throws on the client). */
const encodable = (s: string) => {
  try {
    encodeURIComponent(s)
    return true
  } catch {
    return false
  }
}

layer(Bench.layer(), { excludeTestServices: true })("malformed", (it) => {
  /** Runs a property against the server, and checks that the log has not moved. */
  const unchanged = (property: (bench: Bench.Bench) => Promise<void>) =>
    Effect.gen(function* () {
      const bench = yield* Bench.TestBench
      const before = yield* Bench.eventCount
      yield* Effect.promise(() => property(bench))
      expect(yield* Bench.eventCount).toBe(before)
    })

  for (const e of endpoints) {
    it.effect(`${e.path}: bodies that do not decode`, () =>
      unchanged((bench) =>
        fc.assert(
          fc.asyncProperty(brokenBody(e), async (body) => {
            const res = await bench.fetch(e.path, {
              method: "POST",
              as: e.as,
              headers: { "content-type": "application/json" },
              body: JSON.stringify(body)
            })
            await isProblem(res, `${e.path} ${JSON.stringify(body).slice(0, 200)}`)
          }),
          runs
        )
      )
    )

    it.effect(`${e.path}: bytes that are not JSON, and the wrong content type`, () =>
      unchanged((bench) =>
        fc.assert(
          fc.asyncProperty(
            brokenBytes,
            fc.constantFrom("application/json", "application/json; charset=utf-8", "text/plain", undefined),
            async (bytes, contentType) => {
              const res = await bench.fetch(e.path, {
                method: "POST",
                as: e.as,
                headers: contentType === undefined ? {} : { "content-type": contentType },
                body: bytes
              })
              await isProblem(res, `${e.path} ${contentType} ${new TextDecoder().decode(bytes.slice(0, 80))}`)
            }
          ),
          runs
        )
      )
    )

    it.effect(`${e.path}: a well-formed body under hostile headers`, () =>
      unchanged((bench) =>
        fc.assert(
          fc.asyncProperty(badHeaders, async (headers) => {
            const res = await bench.fetch(e.path, {
              method: "POST",
              as: e.as,
              headers: { "content-type": "application/json", ...headers },
              body: JSON.stringify(e.template)
            })
            await isProblem(res, `${e.path} ${JSON.stringify(headers).slice(0, 200)}`)
          }),
          runs
        )
      )
    )

    it.effect(`${e.path}: a well-formed body without a usable token, or sent as a form`, () =>
      unchanged((bench) =>
        fc.assert(
          fc.asyncProperty(
            fc.oneof(
              hostile
                .filter((t) => /^[\x20-\x7e]*$/.test(t))
                .map((t) => ({ form: false, headers: { authorization: `Bearer ${t.slice(0, 2000)}` } })),
              printable.map((t) => ({ form: false, headers: { authorization: t } })),
              fc.constant({ form: false, headers: { authorization: `Basic ${btoa("admin:admin")}` } }),
              fc
                .constantFrom(
                  "application/x-www-form-urlencoded",
                  "multipart/form-data; boundary=x",
                  "multipart/form-data",
                  "application/xml"
                )
                .map((contentType) => ({ form: true, headers: { "content-type": contentType } }))
            ),
            async ({ form, headers }) => {
              const res = await bench.fetch(e.path, {
                method: "POST",
                ...(form ? { as: e.as } : {}),
                headers: { "content-type": "application/json", ...headers },
                body: form ? "_tag=RecordEvidence&unit=p" : JSON.stringify(e.template)
              })
              await isProblem(res, `${e.path} ${JSON.stringify(headers).slice(0, 200)}`)
            }
          ),
          runs
        )
      )
    )
  }

  it.effect("a body over 1 MiB is refused (413 problem, or the connection dropped when chunked) and not stored", () =>
    Effect.gen(function* () {
      const bench = yield* Bench.TestBench
      const before = yield* Bench.eventCount
      const body = JSON.stringify({ ...endpoints[2]!.template, entry: "huge", note: "x".repeat(2 * 1024 * 1024) })
      const res = yield* Effect.promise(() =>
        bench.fetch("/evidence", {
          method: "POST",
          as: "commune",
          headers: { "content-type": "application/json" },
          body
        })
      )
      expect(res.status).toBe(413)
      const problem = (yield* Effect.promise(() => res.json())) as { code: string; title: { en: string } }
      expect(problem.code).toBe("PayloadTooLarge")
      // chunked, without a length: the server stops reading past the limit
      const bytes = new TextEncoder().encode(body)
      const chunked = yield* Effect.promise(() =>
        bench
          .fetch("/evidence", {
            method: "POST",
            as: "commune",
            headers: { "content-type": "application/json" },
            body: new ReadableStream({
              start(controller) {
                for (let i = 0; i < bytes.length; i += 64 * 1024) controller.enqueue(bytes.slice(i, i + 64 * 1024))
                controller.close()
              }
            }),
            duplex: "half"
          } as RequestInit)
          .then((r) => r.status)
          .catch(() => "dropped" as const)
      )
      expect(chunked === "dropped" || (chunked >= 400 && chunked < 500), String(chunked)).toBe(true)
      expect(yield* Bench.eventCount).toBe(before)
      // just under the limit is read (and here refused by the schema, a 400)
      const under = yield* Effect.promise(() =>
        bench.fetch("/evidence", {
          method: "POST",
          as: "commune",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ ...endpoints[2]!.template, effective: megabyte })
        })
      )
      expect(under.status).toBe(400)
    })
  )

  it.effect("hostile paths, methods and query strings never answer 5xx, and never write", () =>
    unchanged((bench) =>
      fc.assert(
        fc.asyncProperty(
          fc.oneof(hostile, fc.string({ maxLength: 30 })).filter(encodable),
          fc.constantFrom(
            (s: string) => `/units/${encodeURIComponent(s)}`,
            (s: string) => `/units/${encodeURIComponent(s)}/evidence`,
            (s: string) => `/units/${encodeURIComponent(s)}/scorecard?catalog=test/commune`,
            (s: string) => `/units/${Bench.seg(units.C1)}/scorecard?catalog=${encodeURIComponent(s)}`,
            (s: string) => `/units/${Bench.seg(units.C1)}/scorecard?catalog=test/commune&asOf=${encodeURIComponent(s)}`,
            (s: string) =>
              `/units/${Bench.seg(units.C1)}/scorecard?catalog=test/commune&knownAt=${encodeURIComponent(s)}`,
            (s: string) => `/units/${Bench.seg(units.C1)}/rollup?depth=${encodeURIComponent(s)}`,
            (s: string) =>
              `/units/${Bench.seg(units.C1)}/progress?catalog=test/commune&period=${encodeURIComponent(s)}`,
            (s: string) => `/units?asOf=${encodeURIComponent(s)}`,
            (s: string) => `/units?kind=${encodeURIComponent(s)}`,
            (s: string) => `/catalogs/${encodeURIComponent(s)}`,
            (s: string) => `/catalogs/test%2Fcommune/diff?from=1&to=${encodeURIComponent(s)}`,
            (s: string) => `/commitments/${encodeURIComponent(s)}`,
            (s: string) => `/dossiers/${encodeURIComponent(s)}?asOf=2026-01-01`,
            (s: string) => `/evidence/${encodeURIComponent(s)}`
          ),
          fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH"),
          async (s, path, method) => {
            const url = path(s.slice(0, 3000))
            const res = await bench.fetch(url, {
              method,
              as: "central",
              ...(method === "GET" ? {} : { headers: { "content-type": "application/json" }, body: "{}" })
            })
            const label = `${method} ${url.slice(0, 200)}`
            if (res.status < 400) {
              // a read may find nothing wrong with a strange but well-formed id; it still answers JSON
              expect(res.status, label).toBe(200)
              expect(method, label).toBe("GET")
              await res.json()
            } else await isProblem(res, label)
          }
        ),
        { numRuns: 60 }
      )
    )
  )

  it.effect("a body nested thousands of levels deep is a 400 problem (it overflowed the stack: a 500)", () =>
    unchanged(async (bench) => {
      const s = JSON.stringify(endpoints[2]!.template)
      const deepArray = `${"[".repeat(5000)}${"]".repeat(5000)}`
      const deepObject = `${'{"a":'.repeat(5000)}1${"}".repeat(5000)}`
      for (const body of [
        s.replace('"sources":[]', `"sources":${deepArray}`),
        s.replace('"sources":[]', `"sources":${deepObject}`),
        deepArray
      ]) {
        const res = await bench.fetch("/evidence", {
          method: "POST",
          as: "province",
          headers: { "content-type": "application/json" },
          body
        })
        expect(res.status).toBe(400)
        expect(((await res.json()) as { code: string }).code).toBe("NestingTooDeep")
      }
      // 64 levels are read (and here refused by the schema, not by the depth)
      const res = await bench.fetch("/evidence", {
        method: "POST",
        as: "province",
        headers: { "content-type": "application/json" },
        body: s.replace('"sources":[]', `"sources":${"[".repeat(63)}${"]".repeat(63)}`)
      })
      expect(res.status).toBe(400)
      expect(((await res.json()) as { code: string }).code).toBe("InvalidRequest")
    })
  )

  it.effect("a decode error does not echo the input: a 900 KB value draws a short answer", () =>
    unchanged(async (bench) => {
      const big = "x".repeat(900_000)
      for (const body of [
        { ...endpoints[2]!.template, effective: big },
        { ...endpoints[2]!.template, sources: big },
        { ...endpoints[2]!.template, value: { _tag: big } },
        { ...endpoints[0]!.template, criteria: Array.from({ length: 2000 }, () => ({ code: big.slice(0, 400) })) }
      ]) {
        const res = await bench.fetch("criteria" in body ? "/catalogs" : "/evidence", {
          method: "POST",
          as: "admin",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body)
        })
        const text = await res.text()
        expect(res.status, text.slice(0, 300)).toBe(400)
        expect(text.length, text.slice(0, 300)).toBeLessThan(8 * 1024)
        expect(text).not.toContain("x".repeat(1000))
        const problem = JSON.parse(text) as { code: string; issues: ReadonlyArray<unknown> }
        expect(problem.code).toBe("InvalidRequest")
        expect(problem.issues.length).toBeGreaterThan(0)
      }
    })
  )

  it.effect(
    "a body that is not JSON is a 415 problem at once, an empty multipart body too (it was never answered)",
    () =>
      unchanged(async (bench) => {
        for (const contentType of [
          "multipart/form-data; boundary=x",
          "multipart/form-data",
          "multipart/mixed; boundary=x",
          "application/x-www-form-urlencoded",
          "application/xml",
          "text/plain",
          "application/octet-stream",
          // a JSON type by its suffix: the framework reads it as bytes, after the edge has read it (it hung)
          "application/vnd.api+json",
          "text/json"
        ])
          for (const body of ["", "--x--", "_tag=RecordEvidence"]) {
            const started = Date.now()
            const res = await bench.fetch("/evidence", {
              method: "POST",
              as: "province",
              headers: { "content-type": contentType },
              body,
              signal: AbortSignal.timeout(5_000)
            })
            expect(res.status, `${contentType} ${body}`).toBe(415)
            expect(((await res.json()) as { code: string }).code).toBe("UnsupportedMediaType")
            expect(Date.now() - started).toBeLessThan(2_000)
          }
      })
  )

  it.effect("after all of it, the hash chain is intact", () =>
    Effect.gen(function* () {
      const bench = yield* Bench.TestBench
      const res = yield* Effect.promise(() => bench.fetch("/verify", { as: "auditor" }))
      const body = (yield* Effect.promise(() => res.json())) as { ok: boolean; checked: number }
      expect(body.ok).toBe(true)
      expect(body.checked).toBe(yield* Bench.eventCount)
    })
  )
})
