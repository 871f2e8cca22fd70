import { writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import type * as SqlClient from "@effect/sql/SqlClient"
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import { describe, expect, it } from "@effect/vitest"
import { EventStore } from "@ntm/core"
import * as SqlEventStore from "@ntm/sql/SqlEventStore"
import Database from "better-sqlite3"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import ExcelJS from "exceljs"
import { fixture, ntm, tempDatabase } from "./helpers.js"

const tanYen = ["bac-giang/tan-yen", "--catalog", "illustrative/tan-yen/district-advanced"]

const catalogHeader = (version: string) => [
  "--id",
  "bac-giang/2024/commune-ntm",
  "--catalog-version",
  version,
  "--name-vi",
  "Bộ tiêu chí xã nông thôn mới tỉnh Bắc Giang",
  "--name-en",
  "Bắc Giang commune NTM criteria",
  "--applies-to",
  "commune",
  "--standard",
  "ntm",
  "--effective-from",
  "2024-01-01",
  "--province",
  "bac-giang"
]

const eventCount = async (db: string) => {
  const r = await ntm(["migrate", "--database", db])
  expect(r.code).toBe(0)
  return Number(/\((\d+) sự kiện/.exec(r.stdout)?.[1])
}

describe("ntm on SQLite", () => {
  const db = tempDatabase()

  it("shows help in Vietnamese and English", async () => {
    const r = await ntm(["serve", "--help"])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain("Chạy máy chủ HTTP")
    expect(r.stdout).toContain("Run the HTTP server")
    expect(r.stdout).toContain("NTM_PORT")
  })

  it("loads the demo, and the scorecard as of the notice shows 29/38", async () => {
    const demo = await ntm(["demo", "--database", db])
    expect(demo.code, demo.stderr).toBe(0)
    expect(demo.stdout).toMatch(/Đã nạp \d+ sự kiện lịch sử/)
    const again = await ntm(["demo", "--database", db])
    expect(again.stdout).toContain("đã có sẵn / the Tân Yên demo is already loaded")

    const table = await ntm(["scorecard", ...tanYen, "--as-of", "2024-04-05", "--database", db])
    expect(table.code, table.stderr).toBe(0)
    expect(table.stdout).toContain("Chỉ tiêu đạt / indicators met: 29/38")
    expect(table.stdout).toContain("2.3")

    const json = await ntm(["scorecard", ...tanYen, "--as-of", "2024-04-05", "--format", "json", "--database", db])
    const view = JSON.parse(json.stdout)
    expect(view.indicators).toMatchObject({ met: 29, total: 38 })
    expect(view.remaining).toContain("2.3")

    const before = await ntm(["scorecard", ...tanYen, "--as-of", "2023-06-30", "--format", "json", "--database", db])
    expect(JSON.parse(before.stdout).indicators.met).toBeLessThan(29)
  })

  it("writes CSV and XLSX", async () => {
    const csv = await ntm(["scorecard", ...tanYen, "--as-of", "2024-04-05", "--format", "csv", "--database", db])
    const lines = csv.stdout
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\n")
    expect(lines[0]).toBe(
      "criterion_code,criterion_name_vi,criterion_name_en,code,name_vi,name_en,requirement,status,status_label,value,effective,source,provenance"
    )
    // Indicators only: the entry conditions are the rows of criterion ĐK.
    expect(lines.filter((l) => !l.startsWith("ĐK,") && l.includes(",Met,")).length).toBe(29)

    const noOutput = await ntm(["scorecard", ...tanYen, "--format", "xlsx", "--database", db])
    expect(noOutput.code).toBe(1)
    expect(noOutput.stderr).toContain("--output")

    const file = `${db}.xlsx`
    const xlsx = await ntm([
      "scorecard",
      ...tanYen,
      "--as-of",
      "2024-04-05",
      "--format",
      "xlsx",
      "-o",
      file,
      "--database",
      db
    ])
    expect(xlsx.code, xlsx.stderr).toBe(0)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(file)
    const sheet = wb.getWorksheet("Chỉ tiêu - Indicators")!
    const statuses: Array<string> = []
    sheet.eachRow((row, n) => {
      if (n > 1 && row.getCell(1).text !== "ĐK") statuses.push(row.getCell(8).text)
    })
    expect(statuses.filter((s) => s === "Met").length).toBe(29)
  })

  it("prints a progress report", async () => {
    const r = await ntm(["report", ...tanYen, "--period", "2024-Q1", "--database", db])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain("Kỳ / period: 2024-Q1 (2024-01-01 → 2024-03-31)")
    expect(r.stdout).toContain("Cuối kỳ / end (2024-03-31): 29/38")
    const bad = await ntm(["report", ...tanYen, "--period", "2024-Q5", "--database", db])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain("Kỳ báo cáo không hợp lệ")
  })

  it("verifies the hash chain and replays the log", async () => {
    const v = await ntm(["verify", "--database", db])
    expect(v.code, v.stderr).toBe(0)
    expect(v.stdout).toMatch(/hash chain intact: \d+/)
    const r = await ntm(["replay", "--database", db])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/replayed \d+ events in [\d.]+ s \(\d+ events\/s\)/)
  })

  it("creates, lists and revokes tokens", async () => {
    const created = await ntm([
      "token",
      "create",
      "--name",
      "Nguyễn Văn An",
      "--role",
      "district",
      "--unit",
      "bac-giang/tan-yen",
      "--database",
      db
    ])
    expect(created.code, created.stderr).toBe(0)
    const m = /ntm_([a-z0-9]{12})_[A-Za-z0-9_-]{43}/.exec(created.stdout)
    expect(m).not.toBeNull()
    const id = m![1]!
    const list = await ntm(["token", "list", "--database", db])
    expect(list.stdout).toContain(id)
    expect(list.stdout).toContain("Nguyễn Văn An")
    expect(list.stdout).not.toContain(m![0])
    const revoked = await ntm(["token", "revoke", id, "--database", db])
    expect(revoked.code, revoked.stderr).toBe(0)
    expect(revoked.stdout).toContain(`revoked ${id}`)
    const unknown = await ntm(["token", "revoke", "nosuchtoken0", "--database", db])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain("no token nosuchtoken0")
  })

  it("refuses a token for an unknown unit, an officer without a unit, a blank name and the system role", async () => {
    const before = await ntm(["token", "list", "--database", db])
    const cases: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
      [["--name", "Cán bộ", "--role", "commune", "--unit", "bac-giang/khong-co"], "no unit bac-giang/khong-co"],
      [["--name", "Cán bộ", "--role", "commune"], "the commune role needs --unit"],
      [["--name", "   ", "--role", "auditor"], "must not be blank"],
      [["--name", "Nhập", "--role", "system"], "no token is issued for the system role"]
    ]
    for (const [args, message] of cases) {
      const run = await ntm(["token", "create", ...args, "--database", db])
      expect(run.code, args.join(" ")).toBe(1)
      expect(run.stderr, args.join(" ")).toContain(message)
      expect(run.stdout).not.toMatch(/ntm_[a-z0-9]{12}_/)
    }
    const after = await ntm(["token", "list", "--database", db])
    expect(after.stdout).toBe(before.stdout)
  })

  it("imports evidence: a bad file records nothing, a good one records each row once", async () => {
    const before = await eventCount(db)
    const bad = await ntm(["evidence", "import", fixture("evidence-bad.csv"), "--database", db])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('dòng / row 3, cột / column unit: không có đơn vị "bac-giang/khong-co"')
    expect(bad.stderr).toContain("dòng / row 4, cột / column code")
    expect(bad.stderr).toContain("dòng / row 5, cột / column effective")
    expect(bad.stderr).toContain("dòng / row 6, cột / column value")
    expect(await eventCount(db)).toBe(before)

    const good = await ntm(["evidence", "import", fixture("evidence-good.csv"), "--database", db])
    expect(good.code, good.stderr).toBe(0)
    expect(good.stdout).toContain("recorded 2, skipped 0")
    const again = await ntm(["evidence", "import", fixture("evidence-good.csv"), "--database", db])
    expect(again.stdout).toContain("recorded 0, skipped 2")
    const card = await ntm(["scorecard", ...tanYen, "--as-of", "2024-06-01", "--format", "json", "--database", db])
    expect(JSON.parse(card.stdout).indicators.met).toBe(31)
    // As known before the import, the record was still 29/38 on the notice's date.
    const known = await ntm([
      "scorecard",
      ...tanYen,
      "--as-of",
      "2024-06-01",
      "--known-at",
      "2024-12-31",
      "--format",
      "json",
      "--database",
      db
    ])
    expect(JSON.parse(known.stdout).indicators.met).toBe(29)
  })

  it("an import that stops short says what it recorded (not that nothing was written), and a re-run continues", async () => {
    const before = await eventCount(db)
    // Row 3 names row 2's entry with another value: the core refuses it when it is recorded.
    const partial = await ntm(["evidence", "import", fixture("evidence-partial.csv"), "--database", db])
    expect(partial.code).toBe(1)
    expect(partial.stdout).toContain("recorded 2, skipped 0")
    expect(partial.stderr).toContain("2 row(s) recorded, 0 skipped (already recorded), 1 not recorded")
    expect(partial.stderr).toContain("dòng / row 3")
    expect(partial.stderr).not.toContain("nothing was written")
    expect(await eventCount(db)).toBe(before + 2)
    const again = await ntm(["evidence", "import", fixture("evidence-partial.csv"), "--database", db])
    expect(again.stdout).toContain("recorded 0, skipped 2")
    expect(again.stderr).toContain("1 problem(s), nothing was written")
    expect(await eventCount(db)).toBe(before + 2)
  })

  it("imports a few thousand rows in batches, a row refused midway records every other row once, and a re-run records nothing more", async () => {
    const before = await eventCount(db)
    const n = 3_000
    const header = "unit,catalog,code,value,effective,entry"
    const rows = Array.from(
      { length: n },
      (_, i) => `bac-giang/tan-yen,illustrative/tan-yen/district-advanced,8.9,1,2024-05-02,bulk-${i}`
    )
    // Row 1,502 (the 1,501st) names row 2's entry with another value: the core refuses it in its batch.
    rows[1_500] = "bac-giang/tan-yen,illustrative/tan-yen/district-advanced,8.9,2,2024-05-02,bulk-0"
    const file = join(dirname(db), "bulk.csv")
    writeFileSync(file, [header, ...rows].join("\n"))
    const first = await ntm(["evidence", "import", file, "--database", db])
    expect(first.code).toBe(1)
    expect(first.stdout).toContain(`recorded ${n - 1}, skipped 0`)
    expect(first.stderr).toContain("dòng / row 1502")
    expect(await eventCount(db)).toBe(before + n - 1)
    const again = await ntm(["evidence", "import", file, "--database", db])
    expect(again.stdout).toContain(`recorded 0, skipped ${n - 1}`)
    expect(await eventCount(db)).toBe(before + n - 1)
  }, 120_000)
})

describe("ntm catalog import", () => {
  const db = tempDatabase()

  it("publishes a good CSV once, and nothing from a bad one", async () => {
    const good = await ntm([
      "catalog",
      "import",
      fixture("catalog-good.csv"),
      ...catalogHeader("2024-01"),
      "--database",
      db
    ])
    expect(good.code, good.stderr).toBe(0)
    expect(good.stdout).toContain("published bac-giang/2024/commune-ntm@2024-01: 2 tiêu chí / criteria, 5 chỉ tiêu")
    const again = await ntm([
      "catalog",
      "import",
      fixture("catalog-good.csv"),
      ...catalogHeader("2024-01"),
      "--database",
      db
    ])
    expect(again.stdout).toContain("already published, unchanged")

    const before = await eventCount(db)
    const bad = await ntm([
      "catalog",
      "import",
      fixture("catalog-bad.csv"),
      ...catalogHeader("2024-02"),
      "--database",
      db
    ])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain("10 problem(s), nothing was written")
    expect(bad.stderr).toContain("dòng / row 3, cột / column threshold: tỷ lệ phải từ 0 đến 100")
    expect(bad.stderr).toContain('dòng / row 4, cột / column indicator_code: mã "1.1" đã dùng ở dòng 2')
    expect(bad.stderr).toContain("dòng / row 5, cột / column indicator_name_en: bắt buộc")
    expect(bad.stderr).toContain('dòng / row 6, cột / column requirement: "sometimes"')
    expect(await eventCount(db)).toBe(before)

    const noHeader = await ntm(["catalog", "import", fixture("catalog-good.csv"), "--database", db])
    expect(noHeader.code).toBe(1)
    expect(noHeader.stderr).toContain("tiêu đề / header, cột / column id: bắt buộc / required")
  })

  it("reads an XLSX workbook with a header sheet", async () => {
    const file = `${db}.catalog.xlsx`
    const wb = new ExcelJS.Workbook()
    const header = wb.addWorksheet("catalog")
    header.addRow(["field", "value"])
    for (const [f, v] of [
      ["id", "bac-giang/2024/district-ntm"],
      ["version", "2024-01"],
      ["name_vi", "Bộ tiêu chí huyện nông thôn mới tỉnh Bắc Giang"],
      ["name_en", "Bắc Giang district NTM criteria"],
      ["applies_to", "district"],
      ["standard", "ntm"],
      ["effective_from", "2024-01-01"]
    ])
      header.addRow([f, v])
    const sheet = wb.addWorksheet("chỉ tiêu")
    sheet.addRow([
      "criterion_code",
      "criterion_name_vi",
      "criterion_name_en",
      "indicator_code",
      "indicator_name_vi",
      "indicator_name_en",
      "requirement",
      "threshold"
    ])
    sheet.addRow(["1", "Quy hoạch", "Planning", "1.1", "Có quy hoạch vùng huyện", "A district plan", "đạt", ""])
    sheet.addRow(["1", "", "", "1.2", "Tỷ lệ xã đạt chuẩn", "Share of NTM communes", "min-percent", 100])
    await wb.xlsx.writeFile(file)
    const r = await ntm(["catalog", "import", file, "--database", db])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain("published bac-giang/2024/district-ntm@2024-01: 1 tiêu chí / criteria, 2 chỉ tiêu")
  })

  it("imports a JSON catalog document, and the demo refuses a database that holds other events", async () => {
    const r = await ntm([
      "catalog",
      "import",
      fixture("../../../core/catalogs/vn-2021-2025-commune-ntm.json"),
      "--database",
      db
    ])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain("vn/2021-2025/commune-ntm")
    const demo = await ntm(["demo", "--database", db])
    expect(demo.code).toBe(1)
    expect(demo.stderr).toContain("the Tân Yên demo loads only into an empty database")
  })
})

describe("ntm catalog import --dry-run of an overlay with problems", () => {
  it("lists every problem, one a line, Vietnamese then English, exits 1 and publishes nothing", async () => {
    const db = tempDatabase()
    const base = await ntm([
      "catalog",
      "import",
      fixture("../../../core/catalogs/vn-2021-2025-commune-ntm.json"),
      "--database",
      db
    ])
    expect(base.code, base.stderr).toBe(0)
    const verified = { status: "verified", sources: ["tvpl_318"] }
    const overlay = {
      id: "vn/2021-2025/commune-ntm",
      version: "318/2022-bac-giang",
      derivedFrom: { id: "vn/2021-2025/commune-ntm", version: "318/2022", kind: "provincial" },
      legalBasis: [],
      effective: { from: "2023-01-01" },
      province: "bac-giang",
      provenance: verified,
      sources: [],
      changes: [
        {
          _tag: "AddIndicator",
          criterion: "3",
          indicator: {
            code: "3.1",
            name: { vi: "Trùng mã", en: "Reused code" },
            requirement: {
              _tag: "MinPercent",
              threshold: { _tag: "Known", value: 90, status: "verified", sources: ["nope"] }
            },
            requirementByClass: { atlantis: { _tag: "MinPercent", threshold: { _tag: "Unknown" } } },
            provenance: verified
          }
        }
      ]
    }
    const file = `${db}.overlay.json`
    writeFileSync(file, JSON.stringify(overlay))
    const before = await eventCount(db)
    const r = await ntm(["catalog", "import", file, "--dry-run", "--database", db])
    // It used to end in a ParseError's stack.
    expect(r.stderr).not.toContain("ParseError")
    expect(r.code).toBe(1)
    expect(r.stderr).toContain("3 problem(s), nothing was written")
    const lines = r.stderr.split("\n")
    const line = (needle: string) => lines.find((l) => l.includes(needle))
    expect(line("criteria[2].indicators[2].code")).toMatch(/mã "3\.1" đã dùng ở .* \/ code "3\.1" is already used by/)
    expect(line("criteria[2].indicators[2].requirement.threshold.sources[0]")).toContain(
      'nguồn "nope" không có trong danh mục nguồn / unknown source "nope"'
    )
    expect(line("criteria[2].indicators[2].requirementByClass.atlantis")).toContain(
      '"atlantis" không phải là một hạng của region / "atlantis" is not a class of region'
    )
    expect(await eventCount(db)).toBe(before)
  })
})

describe("ntm verify on a log edited behind the store's back", () => {
  it("exits 1 and names the first broken event", async () => {
    const db = tempDatabase()
    expect((await ntm(["demo", "--database", db])).code).toBe(0)
    expect((await ntm(["verify", "--database", db])).code).toBe(0)
    const sqlite = new Database(db)
    // The same JSON with a space after it: the stored text is what is hashed.
    expect(sqlite.prepare("UPDATE ntm_events SET data = data || ' ' WHERE position = 40").run().changes).toBe(1)
    sqlite.close()
    const v = await ntm(["verify", "--database", db])
    expect(v.code).toBe(1)
    expect(v.stderr).toContain("hash chain broken at event 40")
    expect(v.stderr).toContain("39 events before it are intact")
  })
})

describe("ntm verify and ntm replay on a log holding an event that does not decode", () => {
  it("name the event (stream, position, why) and exit 1; replay folds the rest", async () => {
    const db = tempDatabase()
    expect((await ntm(["demo", "--database", db])).code).toBe(0)
    // As an older build might have stored it: appended through the store, so its hash chain holds.
    const position = await Effect.runPromise(
      Effect.flatMap(EventStore.EventStore, (store) =>
        store.append("Evidence-bac-giang/tan-yen/x", "any", [
          { type: "EvidenceRecorded", version: 1, data: { entry: 42 } }
        ])
      ).pipe(
        Effect.map((r) => r.position),
        Effect.provide(
          SqlEventStore.layer.pipe(
            Layer.provide(SqliteClient.layer({ filename: db }) as Layer.Layer<SqlClient.SqlClient, unknown>)
          )
        ),
        Effect.orDie
      )
    )
    const v = await ntm(["verify", "--database", db])
    expect(v.code).toBe(1)
    expect(v.stdout).toContain("hash chain intact")
    expect(v.stderr).toContain("1 stored event(s) do not decode")
    expect(v.stderr).toContain(`position ${position}, Evidence-bac-giang/tan-yen/x, EvidenceRecorded v1`)
    const r = await ntm(["replay", "--database", db])
    expect(r.code).toBe(1)
    expect(r.stdout).toContain(`replayed ${position - 1} events`)
    expect(r.stderr).toContain(`position ${position}, Evidence-bac-giang/tan-yen/x, EvidenceRecorded v1`)
  })
})
