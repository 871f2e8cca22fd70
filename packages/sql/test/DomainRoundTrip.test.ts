import { randomUUID } from "node:crypto"
import { describe, expect, it } from "@effect/vitest"
import { Actor, Catalog, Commands, EventStore, Events, ShippedCatalogs } from "@ntm/core"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import * as PgEventStore from "../src/PgEventStore.js"
import * as SqliteEventStore from "../src/SqliteEventStore.js"
import { pgUrl } from "./pg.js"

const admin = new Actor.Actor({ id: "admin", name: "Quản trị / Admin", role: "admin" })

const roundTrip = (name: string, layer: () => Layer.Layer<EventStore.EventStore, unknown>) =>
  it.effect(`${name}: the shipped catalogs, published through the core's commands, read back identical`, () =>
    Effect.gen(function* () {
      // Fresh ids, so that runs against a shared database never meet each other.
      const prefix = `t${randomUUID().slice(0, 8)}/`
      const catalogs = Either.getOrThrow(ShippedCatalogs.load()).map((c) => {
        const doc = Catalog.encode(c) as { id: string; derivedFrom?: { id: string } }
        return Either.getOrThrow(
          Catalog.decode({
            ...doc,
            id: prefix + doc.id,
            ...(doc.derivedFrom ? { derivedFrom: { ...doc.derivedFrom, id: prefix + doc.derivedFrom.id } } : {})
          })
        )
      })
      for (const c of catalogs) yield* Commands.publishCatalog(c, admin)
      // Publishing again is idempotent: nothing new is appended.
      for (const c of catalogs) expect((yield* Commands.publishCatalog(c, admin)).events).toEqual([])
      for (const c of catalogs) {
        const state = yield* Commands.loadCatalog(c.id)
        const back = state.versions.get(c.version)
        expect(back && JSON.stringify(Catalog.encode(back))).toBe(JSON.stringify(Catalog.encode(c)))
      }
      const store = yield* EventStore.EventStore
      const recorded = Chunk.toReadonlyArray(yield* Stream.runCollect(store.readAll()))
      const decoded = recorded
        .filter((r) => r.type === "CatalogPublished" && r.stream.includes(prefix))
        .map((r) => Events.decode(r))
      expect(decoded.length).toBe(catalogs.length)
      expect(decoded.every(Either.isRight)).toBe(true)
    }).pipe(Effect.provide(layer() as Layer.Layer<EventStore.EventStore>))
  )

const upcast = (name: string, layer: () => Layer.Layer<EventStore.EventStore, unknown>) =>
  it.effect(`${name}: an old event version stored in the table is upcast on read`, () =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      const stream = `old-${randomUUID()}`
      yield* store.append(stream, 0, [
        {
          type: "UnitEstablished",
          version: 1,
          data: {
            _tag: "UnitEstablished",
            unit: "bac-giang",
            kind: "province",
            name: "Bắc Giang",
            classes: {},
            effective: "1997-01-01",
            by: { id: "import", name: "Nhập dữ liệu cũ / legacy import", role: "system" }
          }
        }
      ])
      const [stored] = yield* store.readStream(stream)
      expect(stored!.version).toBe(1)
      const decoded = Either.getOrThrow(Events.decode(stored!))
      expect(decoded.event._tag === "UnitEstablished" && [decoded.event.name.vi, decoded.event.name.en]).toEqual([
        "Bắc Giang",
        "Bac Giang"
      ])
    }).pipe(Effect.provide(layer() as Layer.Layer<EventStore.EventStore>))
  )

describe("domain events through SQL", () => {
  upcast("SQLite", () => SqliteEventStore.layer({ filename: ":memory:" }))
  upcast("PostgreSQL", () => PgEventStore.layer({ url: pgUrl }))
  roundTrip("SQLite", () => SqliteEventStore.layer({ filename: ":memory:" }))
  roundTrip("PostgreSQL", () => PgEventStore.layer({ url: pgUrl }))
})
