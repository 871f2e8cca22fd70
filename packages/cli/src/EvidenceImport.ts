/**
 * Evidence (minh chứng) from a CSV or XLSX file: one `RecordEvidence` per row. Every row is checked first (the unit,
 * the catalog version in force for it on the effective date, the indicator, the value against the indicator's
 * requirement); when any row is wrong, every problem is listed and nothing is recorded. Then the rows are recorded in
 * batches of one unit's rows (`Commands.evidenceBatch`, one append each), with a progress bar on a terminal. A row whose entry is already recorded is skipped, so importing the same file
 * twice records nothing the second time (entry ids default to a hash of the row's content).
 *
 * @since 0.1.0
 */
import { createHash } from "node:crypto"
import {
  type Actor,
  Catalog,
  CatalogSet,
  CommandHandler,
  Commands,
  type EventStore,
  Evidence,
  EvidenceValue,
  Hierarchy,
  type Ledger,
  LocalDate,
  Unit
} from "@ntm/core"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as Errors from "./Errors.js"
import * as Log from "./Log.js"
import * as ProgressBar from "./ProgressBar.js"
import * as Sheet from "./Sheet.js"

/** The columns of an evidence file. @since 0.1.0 */
export const columns = [
  "unit",
  "catalog",
  "code",
  "value",
  "effective",
  "kind",
  "entry",
  "valid_until",
  "source_title",
  "source_number",
  "source_date",
  "source_issuer",
  "source_url",
  "note"
] as const

const required = ["unit", "catalog", "code", "value", "effective"] as const

/** The value kinds a `kind` column may name. @since 0.1.0 */
export const kinds: Readonly<Record<string, EvidenceValue.EvidenceValue["_tag"]>> = {
  attained: "Attained",
  percent: "Percent",
  count: "Count",
  quantity: "Quantity",
  level: "Level",
  "not-applicable": "NotApplicable"
}

const yes = ["đạt", "dat", "met", "yes", "true", "có", "x", "1"]
const no = ["không đạt", "khong dat", "chưa đạt", "chua dat", "not met", "no", "false", "không", "0"]

const number = (s: string): number | undefined => {
  const t = s.replace(/%$/, "").replace(/\s/g, "").replace(",", ".")
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : undefined
}

const parseValue = (
  kind: EvidenceValue.EvidenceValue["_tag"],
  raw: string
): Either.Either<EvidenceValue.EvidenceValue, string> => {
  const lower = raw.toLowerCase()
  switch (kind) {
    case "Attained":
      if (yes.includes(lower)) return Either.right(new EvidenceValue.Attained({ attained: true }))
      if (no.includes(lower)) return Either.right(new EvidenceValue.Attained({ attained: false }))
      return Either.left(`"${raw}": ghi đạt / không đạt (met / not met)`)
    case "Percent": {
      const n = number(raw)
      return n !== undefined && n >= 0 && n <= 100
        ? Either.right(new EvidenceValue.Percent({ value: n }))
        : Either.left(`"${raw}": cần tỷ lệ từ 0 đến 100 / a percentage between 0 and 100`)
    }
    case "Count": {
      const n = number(raw)
      return n !== undefined && Number.isInteger(n) && n >= 0
        ? Either.right(new EvidenceValue.Count({ value: n }))
        : Either.left(`"${raw}": cần số nguyên không âm / a whole number ≥ 0`)
    }
    case "Quantity": {
      const n = number(raw)
      return n !== undefined
        ? Either.right(new EvidenceValue.Quantity({ value: n }))
        : Either.left(`"${raw}" không phải là số / is not a number`)
    }
    case "Level":
      return Either.right(new EvidenceValue.Level({ value: raw }))
    case "NotApplicable":
      return Either.right(new EvidenceValue.NotApplicable({ reason: raw }))
  }
}

/** The kind a value looks like, for a requirement that accepts several. */
const guess = (raw: string): EvidenceValue.EvidenceValue["_tag"] | undefined => {
  const lower = raw.toLowerCase()
  if (yes.includes(lower) || no.includes(lower)) return "Attained"
  if (raw.trim().endsWith("%")) return "Percent"
  return undefined
}

const decodeDate = Schema.decodeUnknownEither(LocalDate.LocalDate)
const decodeUnit = Schema.decodeUnknownEither(Unit.UnitId)
const decodeCatalog = Schema.decodeUnknownEither(Catalog.CatalogId)

/**
 * Turns a table into commands, checking each row against the ledger: every problem, or the commands with their rows.
 *
 * @since 0.1.0
 */
export const commands = (table: Sheet.Table, ledger: Ledger.Ledger, by: Actor.Actor) => {
  const issues: Array<Errors.RowIssue> = []
  for (const c of required)
    if (!table.header.includes(c))
      issues.push(
        new Errors.RowIssue({ row: table.headerRow, column: c, message: "thiếu cột / the column is missing" })
      )
  if (issues.length > 0) return { issues, commands: [] }
  const out: Array<{ row: number; command: Evidence.RecordEvidence }> = []
  const hierarchy = ledger.hierarchy
  // Cells the sheet could not read (an error, a formula never computed): their rows go no further.
  const unread = new Set((table.issues ?? []).map((i) => i.row))
  issues.push(...(table.issues ?? []))
  for (const { row, cells } of table.rows) {
    if (unread.has(row)) continue
    const get = (c: string) => cells[c] ?? ""
    const before = issues.length
    const problem = (column: string, message: string) => issues.push(new Errors.RowIssue({ row, column, message }))
    for (const c of required) if (get(c) === "") problem(c, "bắt buộc / required")
    if (issues.length > before) continue
    const unit = decodeUnit(get("unit"))
    const catalog = decodeCatalog(get("catalog"))
    const effective = decodeDate(get("effective"))
    const validUntil = get("valid_until") === "" ? undefined : decodeDate(get("valid_until"))
    if (Either.isLeft(unit)) problem("unit", "mã đơn vị không hợp lệ / not a unit id")
    if (Either.isLeft(catalog)) problem("catalog", "mã bộ tiêu chí không hợp lệ / not a catalog id")
    if (Either.isLeft(effective)) problem("effective", `"${get("effective")}": cần ngày YYYY-MM-DD / a date YYYY-MM-DD`)
    if (validUntil !== undefined && Either.isLeft(validUntil))
      problem("valid_until", `"${get("valid_until")}": cần ngày YYYY-MM-DD / a date YYYY-MM-DD`)
    if (Either.isLeft(unit) || Either.isLeft(catalog) || Either.isLeft(effective)) continue
    if (!hierarchy.units.has(unit.right)) {
      problem("unit", `không có đơn vị "${unit.right}" / no unit "${unit.right}"`)
      continue
    }
    const date = effective.right
    const version = CatalogSet.versionFor(
      ledger.catalogs.get(catalog.right) ?? [],
      catalog.right,
      CatalogSet.provinceOf(hierarchy, unit.right, date),
      date
    )
    if (version === undefined) {
      problem(
        "catalog",
        `không có bộ tiêu chí ${catalog.right} áp dụng ngày ${date} / no version of ${catalog.right} in force on ${date}`
      )
      continue
    }
    const item = Catalog.findItem(version, get("code"))
    if (item === undefined) {
      problem(
        "code",
        `không có chỉ tiêu "${get("code")}" trong ${version.id}@${version.version} / no indicator "${get("code")}"`
      )
      continue
    }
    const view = Hierarchy.unitAt(hierarchy, unit.right, date)
    const scheme = version.classification?.scheme
    const unitClass =
      scheme === undefined || view === undefined ? undefined : Hierarchy.classAt(hierarchy, unit.right, scheme, date)
    const accepted = EvidenceValue.acceptedBy(Catalog.requirementFor(item, unitClass))
    const kindText = get("kind").toLowerCase()
    let kind: EvidenceValue.EvidenceValue["_tag"] | undefined
    if (kindText !== "") {
      kind = kinds[kindText]
      if (kind === undefined) {
        problem("kind", `"${kindText}": ${Object.keys(kinds).join(", ")}`)
        continue
      }
    } else if (accepted.length === 1) kind = accepted[0]!
    else if (accepted.length === 0) {
      problem(
        "code",
        "chỉ tiêu này được tính từ đơn vị cấp dưới, không nhận minh chứng / computed from sub-units; takes no evidence"
      )
      continue
    } else {
      kind = guess(get("value"))
      if (kind === undefined) {
        problem(
          "kind",
          `chỉ tiêu nhận nhiều loại giá trị; ghi rõ / the indicator accepts ${accepted.join(", ")}: name one`
        )
        continue
      }
    }
    const value = parseValue(kind, get("value"))
    if (Either.isLeft(value)) {
      problem("value", value.left)
      continue
    }
    const title = get("source_title")
    const sourceDate = get("source_date") === "" ? undefined : decodeDate(get("source_date"))
    if (sourceDate !== undefined && Either.isLeft(sourceDate)) {
      problem("source_date", `"${get("source_date")}": cần ngày YYYY-MM-DD / a date YYYY-MM-DD`)
      continue
    }
    // A cell the core's schemas refuse (a control character in a note, an id out of grammar) is a problem of its row.
    try {
      const sources =
        title === ""
          ? []
          : [
              new Evidence.DocumentRef({
                title,
                ...(get("source_number") ? { number: get("source_number") } : {}),
                ...(sourceDate !== undefined && Either.isRight(sourceDate) ? { date: sourceDate.right } : {}),
                ...(get("source_issuer") ? { issuer: get("source_issuer") } : {}),
                ...(get("source_url") ? { url: get("source_url") } : {})
              })
            ]
      const entry =
        get("entry") ||
        `import-${createHash("sha256")
          .update([unit.right, catalog.right, get("code"), date, kind, get("value")].join("\u0000"))
          .digest("hex")
          .slice(0, 20)}`
      out.push({
        row,
        command: new Evidence.RecordEvidence({
          entry,
          unit: unit.right,
          catalog: catalog.right,
          code: get("code"),
          value: value.right,
          effective: date,
          ...(validUntil !== undefined && Either.isRight(validUntil) ? { validUntil: validUntil.right } : {}),
          sources,
          ...(get("note") ? { note: get("note") } : {}),
          by
        })
      })
    } catch (e) {
      problem("row", `không đọc được dòng / the row does not decode: ${e instanceof Error ? e.message : String(e)}`)
    }
  }
  return { issues, commands: out }
}

/**
 * The outcome of an import.
 *
 * @since 0.1.0
 */
/** Rows recorded in one append (of one unit). */
const batchSize = 500

export interface Outcome {
  readonly recorded: number
  readonly skipped: number
  readonly rejected: ReadonlyArray<Errors.RowIssue>
}

/**
 * Reads, checks and records a file of evidence.
 *
 * @since 0.1.0
 */
export const run = (file: string, by: Actor.Actor) =>
  Effect.gen(function* () {
    const kind = Sheet.kindOf(file)
    const table =
      kind === "csv"
        ? yield* Sheet.readCsv(file)
        : kind === "xlsx"
          ? Sheet.fromWorksheet((yield* Sheet.readWorkbook(file)).worksheets[0]!)
          : yield* new Errors.UnreadableFile({ file, reason: "expected a .csv or .xlsx file" })
    const ledger = yield* Log.ledger()
    const checked = commands(table, ledger, by)
    if (checked.issues.length > 0) return yield* new Errors.ImportRejected({ file, issues: checked.issues })
    const bar = ProgressBar.make("Nhập minh chứng / importing evidence", checked.commands.length)
    let recorded = 0
    let skipped = 0
    const rejected: Array<Errors.RowIssue> = []
    // Rows go in batches of one unit's stream, each one append; a batch with a refused row is recorded row by row,
    // so that the refused row is reported and the others are recorded.
    const byUnit = new Map<string, Array<{ row: number; command: Evidence.RecordEvidence }>>()
    for (const c of checked.commands) {
      const list = byUnit.get(c.command.unit)
      if (list === undefined) byUnit.set(c.command.unit, [c])
      else list.push(c)
    }
    const batches: Array<ReadonlyArray<{ row: number; command: Evidence.RecordEvidence }>> = []
    for (const list of byUnit.values())
      for (let i = 0; i < list.length; i += batchSize) batches.push(list.slice(i, i + batchSize))
    // A batch the core refuses is halved and each half recorded in turn, down to the refused row alone, which is
    // reported as its row's problem: the rows before and after it are recorded, in order.
    const record = (
      batch: ReadonlyArray<{ row: number; command: Evidence.RecordEvidence }>
    ): Effect.Effect<void, never, EventStore.EventStore> =>
      Commands.evidenceBatch(batch.map((c) => c.command)).pipe(
        Effect.matchEffect({
          onSuccess: (outcome) =>
            Effect.sync(() => {
              recorded += outcome.events.length
              skipped += batch.length - outcome.events.length
              for (let i = 0; i < batch.length; i++) bar.increment()
            }),
          onFailure: (e) => {
            if (batch.length > 1) {
              const half = Math.ceil(batch.length / 2)
              return Effect.zipRight(record(batch.slice(0, half)), record(batch.slice(half)))
            }
            return Effect.sync(() => {
              rejected.push(
                new Errors.RowIssue({
                  row: batch[0]!.row,
                  column: "code",
                  message: "message" in e ? String(e.message) : String(e)
                })
              )
              bar.increment()
            })
          }
        })
      )
    // Each batch reads only the events its unit's stream gained since the last (the folded state is kept).
    yield* Effect.forEach(batches, record, { discard: true }).pipe(
      Effect.provideService(CommandHandler.CurrentStateCache, { cache: CommandHandler.makeStateCache() }),
      Effect.ensuring(Effect.sync(() => bar.stop()))
    )
    return { recorded, skipped, rejected } satisfies Outcome
  })
