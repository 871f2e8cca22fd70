/**
 * The command handler appends only events that read back as they were decided: each is encoded, written as a store
 * writes it (JSON text), parsed, decoded and compared before `appendMany`. An event that would not (a number JSON
 * cannot write, a text a store cannot keep) is refused with `EventNotStorable`, nothing is appended, and the stream
 * still reads.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Stream from "effect/Stream"
import * as Catalog from "../src/Catalog.js"
import * as CatalogSet from "../src/CatalogSet.js"
import * as CommandHandler from "../src/CommandHandler.js"
import * as Commands from "../src/Commands.js"
import * as EventStore from "../src/EventStore.js"
import * as Events from "../src/Events.js"
import * as Evidence from "../src/Evidence.js"
import * as EvidenceValue from "../src/EvidenceValue.js"
import * as Hierarchy from "../src/Hierarchy.js"
import {
  admin,
  communeCatalog,
  communeCatalogDocument,
  communeOfficer,
  date,
  districtOfficer,
  memoryStore,
  name,
  unit
} from "./fixtures.js"

const commune = unit("p/d/c1")

const setUp = Effect.gen(function* () {
  yield* Commands.publishCatalog(communeCatalog(), admin)
  for (const [u, kind, parent] of [
    [unit("p"), "province", undefined],
    [unit("p/d"), "district", unit("p")],
    [commune, "commune", unit("p/d")]
  ] as const) {
    yield* Commands.changeHierarchy(
      new Hierarchy.EstablishUnit({
        unit: u,
        kind,
        name: name(u),
        ...(parent === undefined ? {} : { parent }),
        classes: { region: "A" },
        effective: date("2020-01-01"),
        by: admin
      })
    )
  }
})

const count = Effect.flatMap(EventStore.EventStore, (s) => Stream.runCount(s.readAll()))

const record = (value: EvidenceValue.EvidenceValue, entry = "e-1") =>
  Commands.evidence(
    new Evidence.RecordEvidence({
      entry,
      unit: commune,
      catalog: Catalog.catalogId("test/commune"),
      code: "1.2",
      value,
      effective: date("2024-01-01"),
      sources: [],
      by: communeOfficer(commune)
    })
  )

describe("CommandHandler", () => {
  it.effect(
    "refuses an event holding Infinity (stored as null, it would never decode again); the stream still reads",
    () =>
      Effect.gen(function* () {
        yield* setUp
        const before = yield* count
        // Built without validation, as a value slipping past every schema would be.
        const poisoned = new EvidenceValue.Percent({ value: 50, numerator: Number.POSITIVE_INFINITY }, true)
        const failure = yield* Effect.flip(record(poisoned))
        expect(failure).toMatchObject({ _tag: "EventNotStorable", stream: "Evidence-p/d/c1", type: "EvidenceRecorded" })
        expect(yield* count).toBe(before)
        const { version } = yield* CommandHandler.load(Evidence.decider, Evidence.streamId(commune))
        expect(version).toBe(0)
        const ok = yield* record(new EvidenceValue.Percent({ value: 80, numerator: 8, denominator: 10 }))
        expect(ok.events).toHaveLength(1)
      }).pipe(Effect.provide(memoryStore))
  )

  it.effect("refuses a catalog whose free texts hold a NUL or a lone surrogate; nothing is appended", () =>
    Effect.gen(function* () {
      for (const [field, bad] of [
        ["note", "ghi chú\u0000"],
        ["note", "\uD800"],
        ["note", "a\rb"]
      ] as const) {
        const doc = communeCatalogDocument({
          id: "test/poisoned",
          provenance: { status: "verified", sources: ["test"], [field]: bad }
        })
        const catalog = Either.getOrThrow(Catalog.decode(doc))
        const failure = yield* Effect.flip(Commands.publishCatalog(catalog, admin))
        expect(failure).toMatchObject({ _tag: "EventNotStorable", type: "CatalogPublished" })
        expect(failure.message).toContain("provenance.note")
      }
      expect(yield* count).toBe(0)
      // Tab, newline and Windows line endings are text.
      const fine = Either.getOrThrow(
        Catalog.decode(
          communeCatalogDocument({
            id: "test/fine",
            provenance: { status: "verified", sources: ["test"], note: "dòng 1\r\ndòng 2\n\tthụt" }
          })
        )
      )
      expect((yield* Commands.publishCatalog(fine, admin)).events).toHaveLength(1)
    }).pipe(Effect.provide(memoryStore))
  )

  it("encodeChecked answers the stored data of an event that reads back as decided", () => {
    const catalog = communeCatalog()
    const event = new CatalogSet.CatalogPublished({ catalog, effective: catalog.effective.from, by: admin })
    const checked = Events.encodeChecked("Catalog-test/commune", event)
    expect(Either.getOrThrow(checked)).toEqual(Events.encode(event))
  })

  it.effect(
    "a decision rests only on what its append guards: a unit moved by another server between the read and the append is judged again",
    () =>
      Effect.gen(function* () {
        yield* setUp
        const other = unit("p/d2")
        yield* Commands.changeHierarchy(
          new Hierarchy.EstablishUnit({
            unit: other,
            kind: "district",
            name: name(other),
            parent: unit("p"),
            classes: { region: "A" },
            effective: date("2020-01-01"),
            by: admin
          })
        )
        const move = Commands.changeHierarchy(
          new Hierarchy.MoveUnit({ unit: commune, parent: other, effective: date("2025-06-01"), by: admin })
        )
        // Another server moves the commune to the other district after this one read the hierarchy, before it
        // appends: the hierarchy's guard makes the append a conflict, and the retry judges the move.
        const store = yield* EventStore.EventStore
        let raced = 0
        const racing = EventStore.EventStore.of({
          ...store,
          appendMany: (writes, options) =>
            Effect.gen(function* () {
              if (raced++ === 0) yield* move.pipe(Effect.provideService(EventStore.EventStore, store), Effect.orDie)
              return yield* store.appendMany(writes, options)
            })
        })
        const before = yield* count
        const refused = yield* Effect.flip(
          Commands.evidence(
            new Evidence.RecordEvidence({
              entry: "e-moved",
              unit: commune,
              catalog: Catalog.catalogId("test/commune"),
              code: "1.2",
              value: new EvidenceValue.Percent({ value: 90 }),
              effective: date("2024-01-01"),
              sources: [],
              by: districtOfficer("p/d")
            })
          ).pipe(Effect.provideService(EventStore.EventStore, racing))
        )
        expect(raced).toBe(1)
        expect(refused).toMatchObject({ _tag: "OutOfScope" })
        // Only the move was appended.
        expect(yield* count).toBe(before + 1)
      }).pipe(Effect.provide(memoryStore))
  )

  it.effect("a guard on a stream only read does not turn a caller's If-Match into a conflict of its own", () =>
    Effect.gen(function* () {
      yield* setUp
      const first = yield* record(new EvidenceValue.Percent({ value: 50 }))
      const store = yield* EventStore.EventStore
      let raced = 0
      // The hierarchy moves on (a rename) between the read and the append: the command is decided again, and the
      // caller's If-Match, which names its own stream, still holds.
      const racing = EventStore.EventStore.of({
        ...store,
        appendMany: (writes, options) =>
          Effect.gen(function* () {
            if (raced++ === 0)
              yield* Commands.changeHierarchy(
                new Hierarchy.RenameUnit({
                  unit: unit("p/d"),
                  name: name("Huyện mới"),
                  effective: date("2025-01-01"),
                  by: admin
                })
              ).pipe(Effect.provideService(EventStore.EventStore, store), Effect.orDie)
            return yield* store.appendMany(writes, options)
          })
      })
      const second = yield* Commands.evidence(
        new Evidence.RecordEvidence({
          entry: "e-2",
          unit: commune,
          catalog: Catalog.catalogId("test/commune"),
          code: "1.2",
          value: new EvidenceValue.Percent({ value: 60 }),
          effective: date("2024-02-01"),
          sources: [],
          by: communeOfficer(commune)
        }),
        { expectedVersion: first.streamVersion }
      ).pipe(Effect.provideService(EventStore.EventStore, racing))
      expect(raced).toBe(2)
      expect(second.streamVersion).toBe(first.streamVersion + 1)
    }).pipe(Effect.provide(memoryStore))
  )
})
