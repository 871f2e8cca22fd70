import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { EventStore } from "@ntm/core"
import * as Layer from "effect/Layer"
import * as SqlEventStore from "../src/SqlEventStore.js"
import * as SqliteEventStore from "../src/SqliteEventStore.js"
import { conformance } from "./Conformance.js"
import { freshDatabase } from "./pg.js"

conformance("memory", () => EventStore.layerMemory)
conformance("SQLite :memory:", () => SqliteEventStore.layer({ filename: ":memory:" }))
conformance("SQLite file", () =>
  SqliteEventStore.layer({ filename: join(mkdtempSync(join(tmpdir(), "ntm-sql-")), "events.sqlite") })
)
// A database of its own: the suite sets the recorded time with the test clock, and the store never records an
// event earlier than the log's last, which other runs in a shared database would have set to the real time.
conformance("PostgreSQL", () => SqlEventStore.layer.pipe(Layer.provide(freshDatabase)))
