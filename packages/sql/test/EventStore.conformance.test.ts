import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { EventStore } from "@ntm/core"
import * as PgEventStore from "../src/PgEventStore.js"
import * as SqliteEventStore from "../src/SqliteEventStore.js"
import { conformance } from "./Conformance.js"
import { pgUrl } from "./pg.js"

conformance("memory", () => EventStore.layerMemory)
conformance("SQLite :memory:", () => SqliteEventStore.layer({ filename: ":memory:" }))
conformance("SQLite file", () =>
  SqliteEventStore.layer({ filename: join(mkdtempSync(join(tmpdir(), "ntm-sql-")), "events.sqlite") })
)
conformance("PostgreSQL", () => PgEventStore.layer({ url: pgUrl }))
