/**
 * Tables read from CSV (`csv-parse`) or XLSX (`exceljs`) files: a header row and data rows, each row keeping the
 * number a spreadsheet shows for it, so that an import can say "row 7, column threshold".
 *
 * Every cell becomes text, the same text a CSV export of the sheet would hold, so that one parser reads both:
 * an XLSX cell is read by its type (see {@link cellText}), never by exceljs's `text`, which shows a percent cell's
 * 0.96 as "0.96" and a date cell as a JavaScript date string.
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
  /** Cells that hold no value an import can read (an error, a formula never computed); their text is empty. */
  readonly issues?: ReadonlyArray<Errors.RowIssue>
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
  records: ReadonlyArray<{
    readonly row: number
    readonly values: ReadonlyArray<string>
    /** Problems by column index. */
    readonly problems?: ReadonlyMap<number, string>
  }>
): Table => {
  const [head, ...body] = records
  if (head === undefined) return { header: [], headerRow: 1, rows: [] }
  const header = head.values.map(normalise)
  const issues: Array<Errors.RowIssue> = []
  const rows = body
    .filter((r) => r.values.some((v) => v.trim() !== "") || (r.problems?.size ?? 0) > 0)
    .map((r) => {
      const cells: Record<string, string> = {}
      header.forEach((h, i) => {
        if (h !== "") cells[h] = (r.values[i] ?? "").normalize("NFC").trim()
        const problem = r.problems?.get(i)
        if (h !== "" && problem !== undefined)
          issues.push(new Errors.RowIssue({ row: r.row, column: h, message: problem }))
      })
      return { row: r.row, cells }
    })
  return { header, headerRow: head.row, rows, ...(issues.length > 0 ? { issues } : {}) }
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
 * Whether a number format scales by 100 and shows a percent sign: a `%` outside quoted text (`"%"`), escapes (`\%`)
 * and brackets (`[Red]`), which show a literal sign without scaling.
 */
const isPercentFormat = (format: string | undefined): boolean =>
  (format ?? "")
    .replace(/"[^"]*"/g, "")
    .replace(/\\./g, "")
    .replace(/\[[^\]]*\]/g, "")
    .includes("%")

/** A number as a spreadsheet holds it, to the 15 significant digits Excel keeps (0.57 × 100 is 57, not 56.99…). */
const numberText = (n: number): string => String(Number(n.toPrecision(15)))

/** The first day Excel's 1900 date system counts correctly: it holds a 29 February 1900 that never was. */
const first1900Day = Date.UTC(1900, 2, 1)

/**
 * The text of a cell's value, by its type, or the problem that leaves it unread:
 *
 * - a number in a percent format (`0%`, `0.00%`) is the percentage it shows, with every digit it holds: 0.96 → "96%";
 * - a date is its day, `YYYY-MM-DD` (exceljs reads a date cell as midnight UTC of that day, in the workbook's 1900
 *   or 1904 date system; days before 1 March 1900 are refused, as Excel's 1900 system counts them one off);
 * - a formula is its result as the workbook last computed it, read by the same rules; a formula with no stored
 *   result, or an error (`#DIV/0!`), is a problem;
 * - other numbers are their digits ("96"), text is itself (a number stored as text, "96", is read as CSV reads it),
 *   a boolean is "true" or "false", rich text and hyperlinks their text.
 *
 * @since 0.1.0
 */
export const cellText = (cell: ExcelJS.Cell): { readonly text: string } | { readonly problem: string } => {
  const value = cell.type === ExcelJS.ValueType.Formula ? cell.result : cell.value
  if (cell.type === ExcelJS.ValueType.Formula && value === undefined)
    return {
      problem:
        "công thức chưa được tính; mở và lưu lại tệp bằng Excel / a formula with no computed result: open and save the file in Excel"
    }
  return valueText(value, cell.numFmt)
}

const valueText = (
  value: ExcelJS.CellValue | ExcelJS.CellFormulaValue["result"],
  format: string | undefined
): { readonly text: string } | { readonly problem: string } => {
  if (value === null || value === undefined) return { text: "" }
  if (typeof value === "number")
    return { text: isPercentFormat(format) ? `${numberText(value * 100)}%` : numberText(value) }
  if (typeof value === "string") return { text: value }
  if (typeof value === "boolean") return { text: value ? "true" : "false" }
  if (value instanceof Date) {
    const ms = value.getTime()
    if (Number.isNaN(ms)) return { problem: "ngày không hợp lệ / not a valid date" }
    if (ms < first1900Day)
      return { problem: "ngày trước 1/3/1900 không đọc được / a date before 1 March 1900 cannot be read reliably" }
    return { text: value.toISOString().slice(0, 10) }
  }
  if ("error" in value) return { problem: `ô lỗi ${value.error} / an error cell, ${value.error}` }
  if ("richText" in value) return { text: value.richText.map((r) => r.text).join("") }
  if ("text" in value && typeof value.text === "string") return { text: value.text }
  if ("formula" in value || "sharedFormula" in value) {
    const result = (value as ExcelJS.CellFormulaValue).result
    return result === undefined
      ? { problem: "công thức chưa được tính / a formula with no computed result" }
      : valueText(result, format)
  }
  return { text: String(value) }
}

/**
 * A worksheet as a table: the first non-empty row is the header. Cells are read by their type (see
 * {@link cellText}).
 *
 * @since 0.1.0
 */
export const fromWorksheet = (sheet: ExcelJS.Worksheet): Table => {
  const records: Array<{ row: number; values: Array<string>; problems: Map<number, string> }> = []
  const width = sheet.columnCount
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values: Array<string> = []
    const problems = new Map<number, string>()
    for (let c = 1; c <= width; c++) {
      const read = cellText(row.getCell(c))
      if ("problem" in read) {
        problems.set(c - 1, read.problem)
        values.push("")
      } else values.push(read.text)
    }
    records.push({ row: rowNumber, values, problems })
  })
  return fromArrays(records)
}
