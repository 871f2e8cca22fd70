import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import * as B from "../src/Bilingual.js"
import { catalogId } from "../src/Catalog.js"
import * as CommandHandler from "../src/CommandHandler.js"
import * as Commands from "../src/Commands.js"
import * as EventStore from "../src/EventStore.js"
import * as Events from "../src/Events.js"
import * as Evidence from "../src/Evidence.js"
import * as EvidenceValue from "../src/EvidenceValue.js"
import * as Hierarchy from "../src/Hierarchy.js"
import * as Recognition from "../src/Recognition.js"
import { standardId } from "../src/Standard.js"
import { admin, communeCatalog, communeOfficer, date, memoryStore, provinceOfficer, unit } from "./fixtures.js"

let counter = 0
/** A stream name no other test uses. */
const fresh = (prefix: string) => `${prefix}-${++counter}-${Math.random().toString(36).slice(2, 8)}`

const event = (n: number): EventStore.EventData => ({ type: "TestHappened", version: 1, data: { n } })
const events = (...ns: ReadonlyArray<number>) => ns.map(event)

const readAll = (options?: EventStore.ReadAllOptions) =>
  Effect.flatMap(EventStore.EventStore, (store) => Stream.runCollect(store.readAll(options))).pipe(
    Effect.map(Chunk.toReadonlyArray)
  )

const dataOf = (recorded: ReadonlyArray<EventStore.RecordedEvent>) => recorded.map((r) => (r.data as { n: number }).n)

describe("EventStore (memory)", () => {
  describe("append", () => {
    it.effect("appends to a new stream at expected version 0, then at the version it is at", () =>
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const s = fresh("Test")
        const first = yield* store.append(s, 0, events(1, 2))
        expect(first).toEqual({ streamVersion: 2, position: 2 })
        const second = yield* store.append(s, 2, events(3))
        expect(second).toEqual({ streamVersion: 3, position: 3 })
        const read = yield* store.readStream(s)
        expect(dataOf(read)).toEqual([1, 2, 3])
        expect(read.map((r) => r.streamVersion)).toEqual([1, 2, 3])
        expect(read.every((r) => r.stream === s && r.type === "TestHappened" && r.version === 1)).toBe(true)
      }).pipe(Effect.provide(EventStore.layerMemory))
    )

    it.effect("a wrong expected version fails with StreamVersionConflict and writes nothing", () =>
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const s = fresh("Test")
        yield* store.append(s, 0, events(1))
        const stale = yield* Effect.flip(store.append(s, 0, events(2)))
        expect(stale).toBeInstanceOf(EventStore.StreamVersionConflict)
        expect(stale).toMatchObject({ _tag: "StreamVersionConflict", stream: s, expected: 0, actual: 1 })
        const ahead = yield* Effect.flip(store.append(s, 5, events(2)))
        expect(ahead).toMatchObject({ _tag: "StreamVersionConflict", expected: 5, actual: 1 })
        // A stream that does not exist is at version 0.
        const missing = fresh("Test")
        const none = yield* Effect.flip(store.append(missing, 1, events(9)))
        expect(none).toMatchObject({ stream: missing, expected: 1, actual: 0 })
        expect(dataOf(yield* store.readStream(s))).toEqual([1])
        expect(yield* store.readStream(missing)).toEqual([])
        expect(dataOf(yield* readAll())).toEqual([1])
      }).pipe(Effect.provide(EventStore.layerMemory))
    )

    it.effect('"any" appends whatever version the stream is at', () =>
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const s = fresh("Test")
        expect(yield* store.append(s, "any", events(1))).toEqual({ streamVersion: 1, position: 1 })
        expect(yield* store.append(s, "any", events(2, 3))).toEqual({ streamVersion: 3, position: 3 })
        expect(dataOf(yield* store.readStream(s))).toEqual([1, 2, 3])
      }).pipe(Effect.provide(EventStore.layerMemory))
    )

    it.effect("appending nothing changes nothing and reports position 0", () =>
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const s = fresh("Test")
        yield* store.append(s, 0, events(1))
        expect(yield* store.append(s, 1, [])).toEqual({ streamVersion: 1, position: 0 })
        expect((yield* readAll()).length).toBe(1)
      }).pipe(Effect.provide(EventStore.layerMemory))
    )
  })

  describe("appendMany", () => {
    it.effect("appends to several streams at once, in order", () =>
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const a = fresh("A")
        const b = fresh("B")
        yield* store.append(a, 0, events(1))
        const results = yield* store.appendMany([
          { stream: a, expected: 1, events: events(2, 3) },
          { stream: b, expected: 0, events: events(4) }
        ])
        expect(results).toEqual([
          { streamVersion: 3, position: 3 },
          { streamVersion: 1, position: 4 }
        ])
        const all = yield* readAll()
        expect(all.map((r) => [r.stream, r.streamVersion, r.position])).toEqual([
          [a, 1, 1],
          [a, 2, 2],
          [a, 3, 3],
          [b, 1, 4]
        ])
      }).pipe(Effect.provide(EventStore.layerMemory))
    )

    it.effect("is all or nothing: one stale stream and no stream is written", () =>
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const a = fresh("A")
        const b = fresh("B")
        yield* store.append(b, 0, events(1))
        const error = yield* Effect.flip(
          store.appendMany([
            { stream: a, expected: 0, events: events(2) },
            { stream: b, expected: 0, events: events(3) }
          ])
        )
        expect(error).toMatchObject({ _tag: "StreamVersionConflict", stream: b, expected: 0, actual: 1 })
        expect(yield* store.readStream(a)).toEqual([])
        expect(dataOf(yield* store.readStream(b))).toEqual([1])
        expect(dataOf(yield* readAll())).toEqual([1])
        // The stream not written is still new: it can be appended at version 0.
        expect(yield* store.append(a, 0, events(4))).toEqual({ streamVersion: 1, position: 2 })
      }).pipe(Effect.provide(EventStore.layerMemory))
    )

    it.effect("two writes to the same stream in one batch are checked in order", () =>
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const s = fresh("Test")
        const ok = yield* store.appendMany([
          { stream: s, expected: 0, events: events(1) },
          { stream: s, expected: 1, events: events(2) }
        ])
        expect(ok.map((r) => r.streamVersion)).toEqual([1, 2])
        const stale = yield* Effect.flip(
          store.appendMany([
            { stream: s, expected: 2, events: events(3) },
            { stream: s, expected: 2, events: events(4) }
          ])
        )
        expect(stale).toMatchObject({ expected: 2, actual: 3 })
        expect(dataOf(yield* store.readStream(s))).toEqual([1, 2])
      }).pipe(Effect.provide(EventStore.layerMemory))
    )
  })

  describe("reads", () => {
    it.effect("readStream from a version, inclusive", () =>
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const s = fresh("Test")
        yield* store.append(s, 0, events(1, 2, 3, 4))
        yield* store.append(fresh("Other"), 0, events(99))
        expect(dataOf(yield* store.readStream(s, { fromVersion: 3 }))).toEqual([3, 4])
        expect(dataOf(yield* store.readStream(s, { fromVersion: 1 }))).toEqual([1, 2, 3, 4])
        expect(yield* store.readStream(s, { fromVersion: 5 })).toEqual([])
      }).pipe(Effect.provide(EventStore.layerMemory))
    )

    it.effect("recorded times come from the Clock; knownAt reads the record as it stood then", () =>
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const s = fresh("Test")
        yield* TestClock.adjust("1 second")
        yield* store.append(s, 0, events(1))
        yield* TestClock.adjust("1 second")
        yield* store.append(s, 1, events(2, 3))
        yield* TestClock.adjust("1 second")
        yield* store.append(fresh("Other"), 0, events(4))
        const recorded = yield* readAll()
        expect(recorded.map((r) => r.recordedAt)).toEqual([1000, 2000, 2000, 3000])
        expect(dataOf(yield* store.readStream(s, { knownAt: 999 }))).toEqual([])
        expect(dataOf(yield* store.readStream(s, { knownAt: 1000 }))).toEqual([1])
        expect(dataOf(yield* store.readStream(s, { knownAt: 1999 }))).toEqual([1])
        expect(dataOf(yield* store.readStream(s, { knownAt: 2000 }))).toEqual([1, 2, 3])
        expect(dataOf(yield* store.readStream(s, { fromVersion: 2, knownAt: 2000 }))).toEqual([2, 3])
        expect(dataOf(yield* readAll({ knownAt: 2500 }))).toEqual([1, 2, 3])
        expect(dataOf(yield* readAll({ after: 1, knownAt: 2000 }))).toEqual([2, 3])
      }).pipe(Effect.provide(EventStore.layerMemory))
    )

    it.effect("readAll in global order, after a position", () =>
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const a = fresh("A")
        const b = fresh("B")
        yield* store.append(a, 0, events(1))
        yield* store.append(b, 0, events(2))
        yield* store.append(a, 1, events(3))
        const all = yield* readAll()
        expect(dataOf(all)).toEqual([1, 2, 3])
        expect(all.map((r) => r.stream)).toEqual([a, b, a])
        expect(dataOf(yield* readAll({ after: 0 }))).toEqual([1, 2, 3])
        expect(dataOf(yield* readAll({ after: 2 }))).toEqual([3])
        expect(yield* readAll({ after: 3 })).toEqual([])
      }).pipe(Effect.provide(EventStore.layerMemory))
    )

    it.effect("readAll is a snapshot: events appended while it is read are not in it", () =>
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const s = fresh("Test")
        yield* store.append(s, 0, events(1, 2))
        const seen = yield* store.readAll().pipe(
          Stream.tap((r) => (r.streamVersion === 1 ? store.append(s, "any", events(3)) : Effect.void)),
          Stream.runCollect
        )
        expect(dataOf(Chunk.toReadonlyArray(seen))).toEqual([1, 2])
        expect(dataOf(yield* readAll())).toEqual([1, 2, 3])
      }).pipe(Effect.provide(EventStore.layerMemory))
    )

    it.effect("recorded times never decrease and positions are contiguous, even when the clock goes back", () =>
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        yield* TestClock.setTime(5000)
        yield* store.append(fresh("A"), 0, events(1))
        yield* TestClock.setTime(3000)
        yield* store.append(fresh("B"), 0, events(2, 3))
        yield* TestClock.setTime(7000)
        yield* store.appendMany([
          { stream: fresh("C"), expected: 0, events: events(4) },
          { stream: fresh("D"), expected: 0, events: events(5) }
        ])
        const all = yield* readAll()
        expect(all.map((r) => r.position)).toEqual([1, 2, 3, 4, 5])
        expect(all.map((r) => r.recordedAt)).toEqual([5000, 5000, 5000, 7000, 7000])
      }).pipe(Effect.provide(EventStore.layerMemory))
    )
  })
})

describe("CommandHandler", () => {
  const by = admin
  const establishProvince = (id: string) =>
    new Hierarchy.EstablishUnit({
      unit: unit(id),
      kind: "province",
      name: B.make("Bắc Giang", "Bac Giang"),
      effective: date("2020-01-01"),
      by
    })
  const established = (id: string) => {
    const { _tag, ...fields } = establishProvince(id)
    return Events.encode(new Hierarchy.UnitEstablished(fields))
  }
  const rename = (id: string, vi: string, en: string) =>
    new Hierarchy.RenameUnit({ unit: unit(id), name: B.make(vi, en), effective: date("2024-01-01"), by })
  /** An event a concurrent writer appends behind the handler's back. */
  const concurrent = (id: string) =>
    Events.encode(
      new Hierarchy.UnitClassified({
        unit: unit(id),
        scheme: "region",
        code: "TDMNPB",
        effective: date("2021-01-01"),
        by
      })
    )

  it.effect("retries when another writer appended to the stream first, and the versions stay contiguous", () =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      const stream = fresh("Hierarchy")
      const province = fresh("province")
      yield* store.append(stream, 0, [established(province)])
      let attempts = 0
      const outcome = yield* CommandHandler.handle({
        decider: Hierarchy.decider,
        stream,
        command: rename(province, "Bắc Ninh", "Bac Ninh"),
        context: () => {
          attempts++
          return attempts === 1 ? Effect.asVoid(store.append(stream, "any", [concurrent(province)])) : Effect.void
        }
      })
      expect(attempts).toBe(2)
      expect(outcome.streamVersion).toBe(3)
      expect(outcome.events.map((e) => e._tag)).toEqual(["UnitRenamed"])
      const recorded = yield* store.readStream(stream)
      expect(recorded.map((r) => r.streamVersion)).toEqual([1, 2, 3])
      expect(recorded.map((r) => r.type)).toEqual(["UnitEstablished", "UnitClassified", "UnitRenamed"])
      const { state } = yield* CommandHandler.load(Hierarchy.decider, stream)
      expect(Hierarchy.unitAt(state, unit(province), date("2024-01-01"))?.name.vi).toBe("Bắc Ninh")
      expect(Hierarchy.classAt(state, unit(province), "region", date("2024-01-01"))).toBe("TDMNPB")
    }).pipe(Effect.provide(EventStore.layerMemory))
  )

  it.effect("gives up after maxAttempts conflicts, having written none of its own events", () =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      const stream = fresh("Hierarchy")
      const province = fresh("province")
      yield* store.append(stream, 0, [established(province)])
      let attempts = 0
      const error = yield* Effect.flip(
        CommandHandler.handle({
          decider: Hierarchy.decider,
          stream,
          command: rename(province, "Bắc Ninh", "Bac Ninh"),
          context: () => {
            attempts++
            return Effect.asVoid(store.append(stream, "any", [concurrent(province)]))
          },
          maxAttempts: 3
        })
      )
      expect(error._tag).toBe("StreamVersionConflict")
      expect(attempts).toBe(3)
      const recorded = yield* store.readStream(stream)
      expect(recorded.map((r) => r.type)).toEqual([
        "UnitEstablished",
        "UnitClassified",
        "UnitClassified",
        "UnitClassified"
      ])
      expect(recorded.map((r) => r.streamVersion)).toEqual([1, 2, 3, 4])
    }).pipe(Effect.provide(EventStore.layerMemory))
  )

  it.effect("a rejection is not retried and appends nothing", () =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      const stream = fresh("Hierarchy")
      let attempts = 0
      const error = yield* Effect.flip(
        CommandHandler.handle({
          decider: Hierarchy.decider,
          stream,
          command: rename(fresh("nowhere"), "X", "X"),
          context: () => {
            attempts++
            return Effect.void
          }
        })
      )
      expect(error._tag).toBe("UnknownUnit")
      expect(attempts).toBe(1)
      expect(yield* store.readStream(stream)).toEqual([])
    }).pipe(Effect.provide(EventStore.layerMemory))
  )

  it.effect("a command repeated after a round trip through the store appends nothing", () =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      const command = new Hierarchy.EstablishUnit({
        ...establishProvince(fresh("province")),
        officialCode: "24",
        classes: { region: "TDMNPB" }
      })
      const first = yield* Commands.changeHierarchy(command)
      expect(first.events).toHaveLength(1)
      const again = yield* Commands.changeHierarchy(command)
      expect(again).toEqual({ events: [], streamVersion: first.streamVersion })
      expect((yield* store.readStream(Hierarchy.streamId)).length).toBe(first.streamVersion)
    }).pipe(Effect.provide(EventStore.layerMemory))
  )

  it.effect("every kind of command, repeated after a round trip through the store, appends nothing", () =>
    Effect.gen(function* () {
      const p = unit(fresh("province"))
      const d = unit(`${p}/district`)
      const c = unit(`${d}/commune`)
      const twice = <A extends { readonly events: ReadonlyArray<unknown>; readonly streamVersion: number }, E, R>(
        run: Effect.Effect<A, E, R>
      ) =>
        Effect.gen(function* () {
          const first = yield* run
          expect(first.events.length).toBeGreaterThan(0)
          const again = yield* run
          expect(again.events).toEqual([])
          expect(again.streamVersion).toBe(first.streamVersion)
        })
      const officer = communeOfficer(c)
      const assessor = provinceOfficer(p)
      yield* twice(Commands.publishCatalog(communeCatalog(), by))
      yield* twice(Commands.changeHierarchy(establishProvince(p)))
      yield* twice(
        Commands.changeHierarchy(
          new Hierarchy.EstablishUnit({
            unit: d,
            kind: "district",
            name: B.make("Tân Yên", "Tan Yen"),
            parent: p,
            officialCode: "218",
            effective: date("2020-01-01"),
            by
          })
        )
      )
      yield* twice(
        Commands.changeHierarchy(
          new Hierarchy.EstablishUnit({
            unit: c,
            kind: "commune",
            name: B.make("Cao Xá", "Cao Xa"),
            parent: d,
            classes: { region: "B" },
            effective: date("2020-01-01"),
            by
          })
        )
      )
      yield* twice(
        Commands.changeHierarchy(
          new Hierarchy.DissolveUnit({ unit: d, moveChildrenTo: p, effective: date("2025-07-01"), by })
        )
      )
      const report = new Evidence.DocumentRef({
        title: "Báo cáo / report",
        number: "12/BC-UBND",
        date: date("2023-01-10"),
        contentHash: "sha256:00ff"
      })
      yield* twice(
        Commands.evidence(
          new Evidence.RecordEvidence({
            entry: "e-1",
            unit: c,
            catalog: catalogId("test/commune"),
            code: "1.2",
            value: new EvidenceValue.Percent({ value: 60, numerator: 6, denominator: 10 }),
            effective: date("2023-01-01"),
            validUntil: date("2023-12-31"),
            sources: [report],
            note: "Điều tra / survey",
            by: officer
          })
        )
      )
      yield* twice(
        Commands.evidence(
          new Evidence.CorrectEvidence({
            entry: "e-2",
            unit: c,
            corrects: "e-1",
            value: new EvidenceValue.Percent({ value: 65 }),
            validUntil: date("2023-12-31"),
            sources: [report],
            reason: "Nhập nhầm / typo",
            by: officer
          })
        )
      )
      yield* twice(
        Commands.evidence(new Evidence.RetractEvidence({ unit: c, entry: "e-2", reason: "Sai / wrong", by: officer }))
      )
      yield* twice(
        Commands.evidence(
          new Evidence.AssessIndicator({
            assessment: "a-1",
            unit: c,
            catalog: catalogId("test/commune"),
            code: "1.2",
            verdict: { _tag: "Overridden", status: "Met" },
            reason: "Thẩm định / appraised",
            basis: "e-1",
            effective: date("2023-06-01"),
            by: assessor
          })
        )
      )
      yield* twice(
        Commands.evidence(
          new Evidence.WithdrawAssessment({
            unit: c,
            assessment: "a-1",
            reason: "Đánh giá lại / reassessed",
            by: assessor
          })
        )
      )
      const decision = new Recognition.Decision({ number: "1/QĐ-UBND", date: date("2023-05-01"), issuer: "UBND tỉnh" })
      yield* twice(
        Commands.recognise(
          new Recognition.GrantRecognition({
            recognition: "r-1",
            unit: c,
            standard: standardId("ntm"),
            catalog: { id: catalogId("test/commune"), version: "1" },
            decision,
            effective: date("2023-05-01"),
            by: assessor
          })
        )
      )
      yield* twice(
        Commands.recognise(
          new Recognition.RevokeRecognition({
            unit: c,
            standard: standardId("ntm"),
            decision: new Recognition.Decision({ number: "2/QĐ-UBND", date: date("2024-05-01") }),
            reason: "Không duy trì / not maintained",
            effective: date("2024-05-01"),
            by: assessor
          })
        )
      )
      // Every stream holds each event once, with contiguous versions.
      const all = yield* readAll()
      expect(all.map((r) => r.position)).toEqual(all.map((_, i) => i + 1))
      // Catalog 1, hierarchy 3 + 2 (a move and the dissolution), evidence 5, recognition 2.
      expect(all.length).toBe(13)
    }).pipe(Effect.provide(memoryStore))
  )

  it.effect("a stored event that cannot be decoded fails the load with EventDecodeError", () =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      const stream = fresh("Hierarchy")
      yield* store.append(stream, 0, [{ type: "UnitEstablished", version: 2, data: { unit: "" } }])
      const error = yield* Effect.flip(CommandHandler.load(Hierarchy.decider, stream))
      expect(error).toMatchObject({ _tag: "EventDecodeError", stream, position: 1 })
      expect(Either.isLeft(Events.decode((yield* store.readStream(stream))[0]!))).toBe(true)
    }).pipe(Effect.provide(EventStore.layerMemory))
  )
})
