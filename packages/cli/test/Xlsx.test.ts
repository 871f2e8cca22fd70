import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import ExcelJS from "exceljs"
import * as CatalogImport from "../src/CatalogImport.js"
import { ntm, tempDatabase } from "./helpers.js"

const catalog = "illustrative/tan-yen/district-advanced"
const unit = "bac-giang/tan-yen"
const header = ["unit", "catalog", "code", "value", "effective", "note"]

/** A workbook of evidence rows, written as Excel would (typed cells, number formats), in a fresh directory. */
const workbook = async (
  rows: ReadonlyArray<{ code: string; value: ExcelJS.CellValue; format?: string; effective?: ExcelJS.CellValue }>,
  options: { readonly date1904?: boolean } = {}
) => {
  const wb = new ExcelJS.Workbook()
  if (options.date1904) wb.properties.date1904 = true
  const sheet = wb.addWorksheet("Minh chứng")
  sheet.addRow(header)
  for (const r of rows) {
    const row = sheet.addRow([unit, catalog, r.code, r.value, r.effective ?? new Date(Date.UTC(2024, 4, 3)), "xlsx"])
    if (r.format !== undefined) row.getCell(4).numFmt = r.format
    row.getCell(5).numFmt = "dd/mm/yyyy"
  }
  const file = join(mkdtempSync(join(tmpdir(), "ntm-xlsx-")), "evidence.xlsx")
  await wb.xlsx.writeFile(file)
  return file
}

interface IndicatorView {
  readonly code: string
  readonly status: string
  readonly evidence?: { readonly entry: { readonly value: { readonly _tag: string; readonly value: unknown } } }
}

const indicators = async (db: string) => {
  const r = await ntm([
    "scorecard",
    unit,
    "--catalog",
    catalog,
    "--as-of",
    "2024-06-01",
    "--format",
    "json",
    "--database",
    db
  ])
  expect(r.code, r.stderr).toBe(0)
  const view = JSON.parse(r.stdout) as { criteria: ReadonlyArray<{ indicators: ReadonlyArray<IndicatorView> }> }
  return new Map(view.criteria.flatMap((c) => c.indicators).map((i) => [i.code, i]))
}

describe("ntm evidence import reads XLSX cells by their type", () => {
  it("a percent cell is the percentage it shows, a date cell its day, a formula its result, text as CSV", async () => {
    const db = tempDatabase()
    expect((await ntm(["demo", "--database", db])).code).toBe(0)
    const before = await indicators(db)
    expect(before.get("7.3")?.status).toBe("NotMet")
    const file = await workbook([
      // 7.3 requires ≥ 95 %: the cell holds 0.96 and shows 96 %.
      { code: "7.3", value: 0.96, format: "0%" },
      // 8.1 requires ≥ 60 %: a formula whose last computed result, 0.625, shows as 62.5 %.
      { code: "8.1", value: { formula: "5/8", result: 0.625 }, format: "0.0%" },
      // 8.2 requires ≥ 80 %: a number stored as text, read as CSV reads "81".
      { code: "8.2", value: "81" },
      // 8.9 requires ≥ 1: a plain number cell; its date given as a formula over dates.
      { code: "8.9", value: 1, effective: { formula: "DATE(2024,5,4)", result: new Date(Date.UTC(2024, 4, 4)) } }
    ])
    const r = await ntm(["evidence", "import", file, "--database", db])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain("recorded 4, skipped 0")
    const after = await indicators(db)
    expect(after.get("7.3")).toMatchObject({
      status: "Met",
      evidence: { entry: { value: { _tag: "Percent", value: 96 } } }
    })
    expect(after.get("8.1")).toMatchObject({ status: "Met", evidence: { entry: { value: { value: 62.5 } } } })
    expect(after.get("8.2")).toMatchObject({ status: "Met", evidence: { entry: { value: { value: 81 } } } })
    expect(after.get("8.9")).toMatchObject({
      status: "Met",
      evidence: { entry: { value: { _tag: "Count", value: 1 } } }
    })
    const dates = new Map(
      [...after].map(([code, i]) => [code, (i.evidence?.entry as { effective?: string })?.effective])
    )
    expect([dates.get("7.3"), dates.get("8.9")]).toEqual(["2024-05-03", "2024-05-04"])
  })

  it("reads dates in a workbook of the 1904 date system as the days they show", async () => {
    const db = tempDatabase()
    expect((await ntm(["demo", "--database", db])).code).toBe(0)
    const file = await workbook([{ code: "7.3", value: 0.955, format: "0%" }], { date1904: true })
    const r = await ntm(["evidence", "import", file, "--database", db])
    expect(r.code, r.stderr).toBe(0)
    // Every digit the cell holds, not the 96 % its format rounds to.
    expect((await indicators(db)).get("7.3")).toMatchObject({
      status: "Met",
      evidence: { entry: { effective: "2024-05-03", value: { value: 95.5 } } }
    })
  })

  it("names an error cell, a formula never computed and a percent out of range, and records nothing", async () => {
    const db = tempDatabase()
    expect((await ntm(["demo", "--database", db])).code).toBe(0)
    const file = await workbook([
      { code: "7.3", value: { error: "#DIV/0!" } as ExcelJS.CellErrorValue },
      { code: "8.1", value: { formula: "5/8" } as ExcelJS.CellFormulaValue, format: "0%" },
      // 96 typed into a percent cell is 9,600 %.
      { code: "8.2", value: 96, format: "0%" },
      { code: "8.9", value: 1 }
    ])
    const r = await ntm(["evidence", "import", file, "--database", db])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain("dòng / row 2, cột / column value: ô lỗi #DIV/0!")
    expect(r.stderr).toContain("dòng / row 3, cột / column value: công thức chưa được tính")
    expect(r.stderr).toContain('dòng / row 4, cột / column value: "9600%": cần tỷ lệ từ 0 đến 100')
    expect((await indicators(db)).get("8.9")?.status).toBe("NotMet")
  })
})

describe("ntm catalog import reads XLSX cells by their type", () => {
  it.effect(
    "a threshold in a percent cell is the percentage it shows; a date cell in the header sheet is its day",
    () =>
      Effect.gen(function* () {
        const file = join(mkdtempSync(join(tmpdir(), "ntm-xlsx-")), "catalog.xlsx")
        const wb = new ExcelJS.Workbook()
        const header = wb.addWorksheet("catalog")
        header.addRow(["field", "value"])
        for (const [f, v] of [
          ["id", "bac-giang/2024/district-ntm"],
          ["version", "2024-01"],
          ["name_vi", "Bộ tiêu chí huyện nông thôn mới tỉnh Bắc Giang"],
          ["name_en", "Bắc Giang district NTM criteria"],
          ["applies_to", "district"],
          ["standard", "ntm"]
        ])
          header.addRow([f, v])
        header.addRow(["effective_from", new Date(Date.UTC(2024, 0, 1))]).getCell(2).numFmt = "dd/mm/yyyy"
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
        sheet.addRow([
          "1",
          "Thu gom rác",
          "Waste",
          "1.1",
          "Tỷ lệ rác được thu gom",
          "Share of waste collected",
          "min-percent",
          0.95
        ])
        sheet.getCell("H2").numFmt = "0%"
        yield* Effect.promise(() => wb.xlsx.writeFile(file))
        const catalog = yield* CatalogImport.read(file, {}, [])
        expect(catalog.effective.from).toBe("2024-01-01")
        expect(catalog.indicators[0]?.requirement).toMatchObject({
          _tag: "MinPercent",
          threshold: { _tag: "Known", value: 95 }
        })
      })
  )
})
