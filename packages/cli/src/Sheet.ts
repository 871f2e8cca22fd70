/**
 * Tables read from CSV (`csv-parse`) or XLSX (`exceljs`) files: a header row and data rows, each row keeping the
 * number a spreadsheet shows for it, so that an import can say "row 7, column threshold".
 *
 * @since 0.1.0
 */
import { readFile } from "node:fs/promises"
import { extname } from "node:path"
import { parse } from "csv-parse/sync"
import * as Effect from "effect/Effect"
import ExcelJS from "exceljs"
import * as Errors from "./Errors.js"

/**
 * A data row: cells by header name (lower-cased, trimmed), and its row number (the header is row 1).
 *
 * @since 0.1.0
 */
export interface Row {
  readonly row: number
  readonly cells: Readonly<Record<string, string>>
}

/**
 * A table: its header, as written, and its rows.
 *
 * @since 0.1.0
 */
export interface Table {
  readonly header: ReadonlyArray<string>
  readonly headerRow: number
  readonly rows: ReadonlyArray<Row>
}

/** The kinds of file read. @since 0.1.0 */
export type Kind = "json" | "csv" | "xlsx"

/**
 * The kind of a file from its extension.
 *
 * @since 0.1.0
 */
export const kindOf = (file: string): Kind | undefined => {
  const ext = extname(file).toLowerCase()
  return ext === ".json" ? "json" : ext === ".csv" ? "csv" : ext === ".xlsx" ? "xlsx" : undefined
}

const normalise = (h: string) => h.normalize("NFC").trim().toLowerCase()

const fromArrays = (
  records: ReadonlyArray<{ readonly row: number; readonly values: ReadonlyArray<string> }>
): Table => {
  const [head, ...body] = records
  if (head === undefined) return { header: [], headerRow: 1, rows: [] }
  const header = head.values.map(normalise)
  const rows = body
    .filter((r) => r.values.some((v) => v.trim() !== ""))
    .map((r) => {
      const cells: Record<string, string> = {}
      header.forEach((h, i) => {
        if (h !== "") cells[h] = (r.values[i] ?? "").normalize("NFC").trim()
      })
      return { row: r.row, cells }
    })
  return { header, headerRow: head.row, rows }
}

/**
 * Reads a CSV file (UTF-8, a byte-order mark allowed, comma-separated, quoted as RFC 4180).
 *
 * @since 0.1.0
 */
export const readCsv = (file: string) =>
  Effect.tryPromise({
    try: async () => {
      const text = await readFile(file, "utf8")
      const records = parse(text, {
        bom: true,
        info: true,
        relax_column_count: true,
        skip_empty_lines: false
      }) as unknown as Array<{
        record: Array<string>
        info: { lines: number }
      }>
      return fromArrays(records.map((r) => ({ row: r.info.lines, values: r.record })))
    },
    catch: (e) => new Errors.UnreadableFile({ file, reason: e instanceof Error ? e.message : String(e) })
  })

/**
 * A workbook, read.
 *
 * @since 0.1.0
 */
export const readWorkbook = (file: string) =>
  Effect.tryPromise({
    try: async () => {
      const wb = new ExcelJS.Workbook()
      await wb.xlsx.readFile(file)
      return wb
    },
    catch: (e) => new Errors.UnreadableFile({ file, reason: e instanceof Error ? e.message : String(e) })
  })

/**
 * A worksheet as a table: the first non-empty row is the header. Cells are read as the text Excel shows.
 *
 * @since 0.1.0
 */
export const fromWorksheet = (sheet: ExcelJS.Worksheet): Table => {
  const records: Array<{ row: number; values: Array<string> }> = []
  const width = sheet.columnCount
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values: Array<string> = []
    for (let c = 1; c <= width; c++) values.push(row.getCell(c).text ?? "")
    records.push({ row: rowNumber, values })
  })
  return fromArrays(records)
}
