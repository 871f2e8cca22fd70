/**
 * Catalogs (bộ tiêu chí) from files: a JSON catalog document (as in `@ntm/core/catalogs/*.json`, or an overlay of
 * one already published), or a criteria table in CSV or XLSX laid out the way provincial officials keep them — one
 * row per indicator (chỉ tiêu), under its criterion (tiêu chí). The layout is documented in `docs/cli.md`.
 *
 * Every problem is reported with its row and column, and nothing is published when any row is wrong: the table is
 * turned into a catalog document and decoded by the core's `Catalog` schema, whose own findings (a duplicate code,
 * a class not on its scale) are mapped back to the rows they came from.
 *
 * @since 0.1.0
 */
import { readFile } from "node:fs/promises"
import { Catalog } from "@ntm/core"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Errors from "./Errors.js"
import * as Sheet from "./Sheet.js"

/**
 * The fields of a catalog that a table does not hold: from command-line flags, or from a header sheet (`catalog`)
 * of an XLSX workbook with `field` and `value` columns. Keys are as in the header sheet.
 *
 * @since 0.1.0
 */
export type Header = Readonly<Partial<Record<HeaderField, string>>>

/** @since 0.1.0 */
export const headerFields = [
  "id",
  "version",
  "name_vi",
  "name_en",
  "applies_to",
  "standard",
  "effective_from",
  "effective_until",
  "province",
  "status",
  "legal_basis"
] as const

/** @since 0.1.0 */
export type HeaderField = (typeof headerFields)[number]

/** The columns of the criteria table. @since 0.1.0 */
export const tableColumns = [
  "criterion_code",
  "criterion_name_vi",
  "criterion_name_en",
  "indicator_code",
  "indicator_name_vi",
  "indicator_name_en",
  "requirement",
  "threshold",
  "unit_vi",
  "unit_en",
  "scale",
  "sector_vi",
  "sector_en",
  "agency_vi",
  "agency_en",
  "source",
  "status"
] as const

const required = ["criterion_code", "indicator_code", "indicator_name_vi", "indicator_name_en", "requirement"] as const

/**
 * The requirement kinds a table may name, with the core's tag for each. Vietnamese aliases are accepted.
 *
 * @since 0.1.0
 */
export const requirementKinds: Readonly<Record<string, string>> = {
  attainment: "Attainment",
  đạt: "Attainment",
  "min-percent": "MinPercent",
  "≥%": "MinPercent",
  "max-percent": "MaxPercent",
  "≤%": "MaxPercent",
  "min-count": "MinCount",
  "min-quantity": "MinQuantity",
  "min-class": "MinClass",
  "holds-recognition": "HoldsRecognition",
  "defined-by-province": "DefinedByProvince",
  "tỉnh quy định": "DefinedByProvince",
  "not-known": "NotKnown",
  "chưa rõ": "NotKnown"
}

const statuses = ["verified", "unverified", "illustrative"] as const

type Issue = Errors.RowIssue

const issue = (row: number, column: string, message: string): Issue => new Errors.RowIssue({ row, column, message })

const parseNumber = (s: string): number | undefined => {
  const t = s.replace(/%$/, "").replace(/\s/g, "").replace(",", ".")
  if (!/^-?\d+(\.\d+)?$/.test(t)) return undefined
  return Number(t)
}

const splitList = (s: string) =>
  s
    .split(/[|;]/)
    .map((x) => x.trim())
    .filter((x) => x !== "")

/**
 * Turns a criteria table and a header into a catalog document (the JSON form the core decodes), with every row
 * problem found. `rowOf` maps each indicator's place in the document back to its row.
 *
 * @since 0.1.0
 */
export const fromTable = (table: Sheet.Table, header: Header) => {
  const issues: Array<Issue> = []
  for (const c of required) {
    if (!table.header.includes(c)) issues.push(issue(table.headerRow, c, "thiếu cột / the column is missing"))
  }
  const unknown = table.header.filter((h) => h !== "" && !(tableColumns as ReadonlyArray<string>).includes(h))
  for (const h of unknown)
    issues.push(issue(table.headerRow, h, `cột không biết / unknown column (known: ${tableColumns.join(", ")})`))
  if (issues.length > 0) return { document: undefined, issues, rowOf: new Map<string, number>() }
  if (table.rows.length === 0) issues.push(issue(table.headerRow + 1, "indicator_code", "bảng trống / no rows"))
  // Cells the sheet could not read (an error, a formula never computed).
  issues.push(...(table.issues ?? []))

  const defaultStatus = header.status ?? "unverified"
  const sourceIds = new Map<string, string>()
  const sourceId = (title: string) => {
    let id = sourceIds.get(title)
    if (id === undefined) {
      id = `s${sourceIds.size + 1}`
      sourceIds.set(title, id)
    }
    return id
  }
  const criteria: Array<{
    code: string
    name: { vi: string; en: string }
    row: number
    provenance: { status: string; sources: Array<string> }
    indicators: Array<Record<string, unknown>>
  }> = []
  const seenIndicator = new Map<string, number>()
  const rowOf = new Map<string, number>()

  for (const { row, cells } of table.rows) {
    const get = (c: string) => cells[c] ?? ""
    const problem = (column: string, message: string) => issues.push(issue(row, column, message))
    for (const c of required) if (get(c) === "") problem(c, "bắt buộc / required")
    const status = get("status") || defaultStatus
    if (!(statuses as ReadonlyArray<string>).includes(status))
      problem("status", `"${status}" không hợp lệ / must be verified, unverified or illustrative`)
    const source = get("source")
    const sources = source === "" ? [] : [sourceId(source)]
    const provenance = { status, sources }

    // The criterion: names on its first row; later rows may leave them blank, or repeat them.
    const cCode = get("criterion_code")
    let criterion = criteria.find((c) => c.code === cCode)
    if (criterion === undefined && cCode !== "") {
      const vi = get("criterion_name_vi")
      const en = get("criterion_name_en")
      if (vi === "")
        problem("criterion_name_vi", "bắt buộc ở dòng đầu của tiêu chí / required on a criterion's first row")
      if (en === "")
        problem("criterion_name_en", "bắt buộc ở dòng đầu của tiêu chí / required on a criterion's first row")
      criterion = { code: cCode, name: { vi, en }, row, provenance, indicators: [] }
      criteria.push(criterion)
    } else if (criterion !== undefined) {
      for (const lang of ["vi", "en"] as const) {
        const given = get(`criterion_name_${lang}`)
        if (given !== "" && given !== criterion.name[lang])
          problem(
            `criterion_name_${lang}`,
            `khác với dòng ${criterion.row} / differs from row ${criterion.row} ("${criterion.name[lang]}")`
          )
      }
    }

    const code = get("indicator_code")
    const before = seenIndicator.get(code)
    if (code !== "" && before !== undefined)
      problem(
        "indicator_code",
        `mã "${code}" đã dùng ở dòng ${before} / code "${code}" is already used on row ${before}`
      )
    if (code !== "") seenIndicator.set(code, row)

    const requirement = requirementOf(get, problem, { status, sources })
    const indicator: Record<string, unknown> = {
      code,
      name: { vi: get("indicator_name_vi"), en: get("indicator_name_en") },
      requirement,
      provenance
    }
    const sector = { vi: get("sector_vi"), en: get("sector_en") }
    const agency = { vi: get("agency_vi"), en: get("agency_en") }
    const has = (b: { vi: string; en: string }) => b.vi !== "" || b.en !== ""
    if (has(sector) || has(agency)) {
      if (sector.vi === "" || sector.en === "")
        problem(
          sector.vi === "" ? "sector_vi" : "sector_en",
          "ngành cần cả tiếng Việt và tiếng Anh khi có cơ quan phụ trách / a sector needs both languages when a responsibility is given"
        )
      if (has(agency) && (agency.vi === "" || agency.en === ""))
        problem(
          agency.vi === "" ? "agency_vi" : "agency_en",
          "cơ quan cần cả hai ngôn ngữ / an agency needs both languages"
        )
      indicator.responsible = has(agency) ? { sector, agency } : { sector }
    }
    if (criterion !== undefined) {
      rowOf.set(`criteria.${criteria.indexOf(criterion)}.indicators.${criterion.indicators.length}`, row)
      criterion.indicators.push(indicator)
    }
  }

  const headerIssue = (field: string, message: string) => issues.push(issue(0, field, message))
  for (const f of ["id", "version", "name_vi", "name_en", "applies_to", "standard", "effective_from"] as const)
    if ((header[f] ?? "") === "") headerIssue(f, "bắt buộc / required")
  if (!(statuses as ReadonlyArray<string>).includes(defaultStatus))
    headerIssue("status", "must be verified, unverified or illustrative")
  const document = {
    id: header.id ?? "",
    version: header.version ?? "",
    name: { vi: header.name_vi ?? "", en: header.name_en ?? "" },
    appliesTo: splitList((header.applies_to ?? "").replace(/,/g, "|")),
    standard: header.standard ?? "",
    legalBasis: splitList(header.legal_basis ?? "").map((number) => ({
      number,
      provenance: { status: defaultStatus }
    })),
    effective: {
      from: header.effective_from ?? "",
      ...(header.effective_until ? { until: header.effective_until } : {})
    },
    ...(header.province ? { province: header.province } : {}),
    provenance: { status: defaultStatus, sources: [...sourceIds.values()] },
    sources: [...sourceIds.entries()].map(([title, id]) => ({ id, title, kind: "official" })),
    criteria: criteria.map(({ row: _row, ...c }) => c),
    conditions: []
  }
  return { document, issues, rowOf }
}

const requirementOf = (
  get: (c: string) => string,
  problem: (column: string, message: string) => void,
  provenance: { readonly status: string; readonly sources: ReadonlyArray<string> }
): Record<string, unknown> => {
  const kindText = get("requirement").toLowerCase()
  const tag = requirementKinds[kindText]
  if (tag === undefined) {
    if (kindText !== "")
      problem(
        "requirement",
        `"${kindText}" không phải loại yêu cầu / is not a requirement kind (${Object.keys(requirementKinds).join(", ")})`
      )
    return { _tag: "NotKnown" }
  }
  const raw = get("threshold")
  const threshold = (value: unknown) =>
    raw === "" || raw === "?"
      ? { _tag: "Unknown" }
      : ["tỉnh", "province", "tỉnh quy định"].includes(raw.toLowerCase())
        ? { _tag: "SetByProvince" }
        : { _tag: "Known", value, status: provenance.status, sources: provenance.sources }
  const fixed = raw === "" || raw === "?" || ["tỉnh", "province", "tỉnh quy định"].includes(raw.toLowerCase())
  const numeric = (check: (n: number) => string | undefined) => {
    if (fixed) return undefined
    const n = parseNumber(raw)
    if (n === undefined) {
      problem("threshold", `"${raw}" không phải là số / is not a number`)
      return 0
    }
    const bad = check(n)
    if (bad !== undefined) problem("threshold", bad)
    return n
  }
  const percent = (n: number) =>
    n < 0 || n > 100 ? "tỷ lệ phải từ 0 đến 100 / a percentage lies between 0 and 100" : undefined
  switch (tag) {
    case "Attainment":
    case "DefinedByProvince":
    case "NotKnown":
      if (raw !== "" && tag === "Attainment")
        problem("threshold", "yêu cầu 'đạt' không có ngưỡng / an attainment has no threshold")
      return { _tag: tag }
    case "MinPercent":
    case "MaxPercent":
      return { _tag: tag, threshold: threshold(numeric(percent)) }
    case "MinCount":
      return {
        _tag: tag,
        threshold: threshold(
          numeric((n) => (Number.isInteger(n) && n >= 0 ? undefined : "cần số nguyên không âm / a whole number ≥ 0"))
        )
      }
    case "MinQuantity": {
      const unit = { vi: get("unit_vi"), en: get("unit_en") }
      if (unit.vi === "") problem("unit_vi", "bắt buộc với min-quantity / required for min-quantity")
      if (unit.en === "") problem("unit_en", "bắt buộc với min-quantity / required for min-quantity")
      return { _tag: tag, unit, threshold: threshold(numeric(() => undefined)) }
    }
    case "MinClass": {
      const scale = splitList(get("scale"))
      if (scale.length === 0)
        problem(
          "scale",
          "bắt buộc với min-class, từ thấp đến cao, cách nhau bởi | / required for min-class: lowest to highest, separated by |"
        )
      else if (!fixed && !scale.includes(raw))
        problem("threshold", `"${raw}" không có trong thang / is not on the scale ${scale.join(" < ")}`)
      return { _tag: tag, scale, threshold: threshold(raw) }
    }
    case "HoldsRecognition": {
      const standards = splitList(raw)
      if (standards.length === 0)
        problem("threshold", "ghi chuẩn cần đạt, ví dụ ntm / name the standards held, e.g. ntm or ntm|advanced")
      return { _tag: tag, standards }
    }
    default:
      return { _tag: "NotKnown" }
  }
}

const pathRow = (rowOf: ReadonlyMap<string, number>, path: string): { row: number; column: string } => {
  const m = /^criteria\[(\d+)\]\.indicators\[(\d+)\](?:\.(.*))?$/.exec(path)
  if (m) {
    const row = rowOf.get(`criteria.${m[1]}.indicators.${m[2]}`)
    if (row !== undefined) return { row, column: columnOf(m[3] ?? "") }
  }
  const c = /^criteria\[(\d+)\]\.(.*)$/.exec(path)
  if (c) {
    const row = rowOf.get(`criteria.${c[1]}.indicators.0`)
    if (row !== undefined) return { row, column: `criterion_${columnOf(c[2] ?? "")}` }
  }
  return { row: 0, column: path || "(catalog)" }
}

const columnOf = (path: string): string => {
  if (path.startsWith("code")) return "indicator_code"
  if (path.startsWith("name.vi")) return "indicator_name_vi"
  if (path.startsWith("name.en")) return "indicator_name_en"
  if (path.startsWith("requirement.threshold")) return "threshold"
  if (path.startsWith("requirement.scale")) return "scale"
  if (path.startsWith("requirement.unit")) return "unit_vi"
  if (path.startsWith("requirement")) return "requirement"
  if (path.startsWith("responsible.agency")) return "agency_vi"
  if (path.startsWith("responsible")) return "sector_vi"
  if (path.startsWith("provenance")) return "status"
  return path
}

/**
 * Decodes a table into a catalog, or every problem with its row.
 *
 * @since 0.1.0
 */
export const catalogFromTable = (
  file: string,
  table: Sheet.Table,
  header: Header
): Either.Either<Catalog.Catalog, Errors.ImportRejected> => {
  const { document, issues, rowOf } = fromTable(table, header)
  if (document === undefined || issues.length > 0) return Either.left(new Errors.ImportRejected({ file, issues }))
  return Either.mapLeft(Catalog.decode(document, file), (invalid) => {
    const mapped = invalid.issues.map((i) => {
      const at = pathRow(rowOf, i.path)
      return issue(at.row, at.column, i.message)
    })
    return new Errors.ImportRejected({ file, issues: mapped })
  })
}

const headerFromSheet = (table: Sheet.Table): Header => {
  const out: Partial<Record<HeaderField, string>> = {}
  for (const r of table.rows) {
    const field = (r.cells.field ?? "").toLowerCase()
    if ((headerFields as ReadonlyArray<string>).includes(field)) out[field as HeaderField] = r.cells.value ?? ""
  }
  return out
}

/**
 * Reads a catalog from a JSON, CSV or XLSX file. `header` (from flags) wins over an XLSX header sheet; `loaded`
 * are the catalogs already published, which a JSON overlay may derive from.
 *
 * @since 0.1.0
 */
export const read = (file: string, header: Header, loaded: ReadonlyArray<Catalog.Catalog>) =>
  Effect.gen(function* () {
    const kind = Sheet.kindOf(file)
    switch (kind) {
      case "json": {
        const input = yield* Effect.tryPromise({
          try: async () => JSON.parse(await readFile(file, "utf8")) as unknown,
          catch: (e) => new Errors.UnreadableFile({ file, reason: e instanceof Error ? e.message : String(e) })
        })
        return yield* Either.mapLeft(
          Catalog.load(input, loaded, file),
          (invalid) =>
            new Errors.ImportRejected({
              file,
              issues: invalid.issues.map((i) => issue(0, i.path || "(root)", i.message))
            })
        )
      }
      case "csv": {
        const table = yield* Sheet.readCsv(file)
        return yield* catalogFromTable(file, table, header)
      }
      case "xlsx": {
        const wb = yield* Sheet.readWorkbook(file)
        const isHeader = (name: string) => ["catalog", "bộ tiêu chí", "bo tieu chi"].includes(name.trim().toLowerCase())
        const headerSheet = wb.worksheets.find((s) => isHeader(s.name))
        const dataSheet = wb.worksheets.find((s) => !isHeader(s.name))
        if (dataSheet === undefined)
          return yield* new Errors.UnreadableFile({ file, reason: "no sheet of indicators / không có trang chỉ tiêu" })
        const fromSheet = headerSheet === undefined ? {} : headerFromSheet(Sheet.fromWorksheet(headerSheet))
        const merged: Header = { ...fromSheet, ...header }
        return yield* catalogFromTable(`${file} [${dataSheet.name}]`, Sheet.fromWorksheet(dataSheet), merged)
      }
      default:
        return yield* new Errors.UnreadableFile({ file, reason: "expected a .json, .csv or .xlsx file" })
    }
  })
