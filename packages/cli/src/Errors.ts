/**
 * The errors of the command line: each says what went wrong in Vietnamese first, English beside it, and carries the
 * fields a script can act on. Any of them makes `ntm` exit with status 1.
 *
 * @since 0.1.0
 */
import * as SqlEventStore from "@ntm/sql/SqlEventStore"
import * as Schema from "effect/Schema"

/**
 * The event log already holds events that are not the Tân Yên demo: the demo's history is recorded at historical
 * times, and the store's recorded time never goes backwards, so it can only be loaded into an empty log.
 *
 * @since 0.1.0
 */
export class LogNotEmpty extends Schema.TaggedError<LogNotEmpty>()("LogNotEmpty", {
  /** The position of the last event in the log. */
  lastPosition: Schema.Number
}) {
  override get message() {
    return (
      `Nhật ký sự kiện đã có dữ liệu (đến vị trí ${this.lastPosition}); chỉ nạp được dữ liệu mẫu Tân Yên vào cơ sở dữ liệu trống` +
      ` / the event log is not empty (up to position ${this.lastPosition}); the Tân Yên demo loads only into an empty database`
    )
  }
}

const short = (hash: string | null) => (hash === null ? "null" : `${hash.slice(0, 16)}…`)

/**
 * One fault of the log, said in Vietnamese and English.
 *
 * @since 0.1.0
 */
export const describeFault = (f: SqlEventStore.Fault): string => {
  switch (f._tag) {
    case "HashMismatch":
      return (
        `Chuỗi băm bị phá vỡ tại sự kiện ${f.position} (${f.stream} #${f.streamVersion}, chuỗi ${f.chain}) / ` +
        `hash chain broken at event ${f.position} (${f.stream} #${f.streamVersion}, ${f.chain} chain): ` +
        `expected ${f.expected}, found ${f.found ?? "null"}; ${f.intact} events before it are intact`
      )
    case "PositionJump":
      return (
        `Vị trí nhảy cóc tại sự kiện ${f.position}, lẽ ra là ${f.expected}: có sự kiện đã bị xóa / ` +
        `positions jump at event ${f.position} (expected ${f.expected}): events were deleted`
      )
    case "TimeReversed":
      return (
        `Thời điểm ghi lùi lại tại sự kiện ${f.position} / recording time goes back at event ${f.position}: ` +
        `${new Date(f.recordedAt).toISOString()} is before ${new Date(f.previous).toISOString()} (back-dated)`
      )
    case "AnchorMismatch":
      return f.found === null
        ? `Thiếu sự kiện ${f.position} đã được ký mốc / the anchored event ${f.position} is missing (key ${f.key})`
        : `Nhật ký khác với mốc đã ký tại vị trí ${f.position} / the log differs from the anchor signed at position ` +
            `${f.position} (key ${f.key}): signed ${short(f.anchored)}, now ${short(f.found)}; ` +
            `changed after position ${f.after} and at or before ${f.position}`
    case "Truncated":
      return (
        `Nhật ký bị cắt: dừng ở vị trí ${f.head}, trước mốc đã ký ${f.anchored} / ` +
        `the log was truncated: it ends at position ${f.head}, before the anchor signed at ${f.anchored} (key ${f.key})`
      )
    case "AnchorUnverified":
      return f.reason === "bad signature"
        ? `Chữ ký của mốc ở dòng ${f.line} không hợp lệ / the anchor on line ${f.line} (position ${f.position}) ` +
            `does not verify under key ${f.key}: the anchors file was altered`
        : `Mốc ở dòng ${f.line} ký bằng khóa lạ / the anchor on line ${f.line} (position ${f.position}) ` +
            `names key ${f.key}, which is not among the public keys given`
  }
}

/**
 * The log was changed behind the store's back, or disagrees with its signed anchors: the first fault of each kind.
 *
 * @since 0.1.0
 */
export class LogTampered extends Schema.TaggedError<LogTampered>()("LogTampered", {
  /** The events walked. */
  checked: Schema.Number,
  faults: Schema.Array(SqlEventStore.Fault)
}) {
  override get message() {
    return [
      `Nhật ký sự kiện không toàn vẹn / the event log fails verification (${this.checked} events walked):`,
      ...this.faults.map((f) => `  ${describeFault(f)}`)
    ].join("\n")
  }
}

/**
 * A problem in one row of an imported file.
 *
 * @since 0.1.0
 */
export class RowIssue extends Schema.Class<RowIssue>("@ntm/cli/RowIssue")({
  /** The row number as a spreadsheet shows it (the header is row 1); 0 for the catalog's header fields. */
  row: Schema.Number,
  column: Schema.String,
  message: Schema.String
}) {
  override toString() {
    const where = this.row === 0 ? "tiêu đề / header" : `dòng / row ${this.row}`
    return `${where}, cột / column ${this.column}: ${this.message}`
  }
}

/**
 * An import was rejected: every row-level problem is listed, and nothing was written.
 *
 * @since 0.1.0
 */
export class ImportRejected extends Schema.TaggedError<ImportRejected>()("ImportRejected", {
  file: Schema.String,
  issues: Schema.Array(RowIssue)
}) {
  override get message() {
    return [
      `Không nhập được ${this.file}: ${this.issues.length} lỗi, không ghi gì / ` +
        `${this.file} was not imported: ${this.issues.length} problem(s), nothing was written`,
      ...this.issues.map((i) => `  ${i.toString()}`)
    ].join("\n")
  }
}

/**
 * An import stopped short: some rows were recorded, others were not (refused by a rule of the core, or the store
 * failed). What was recorded stays; running the import again skips it and tries the rest.
 *
 * @since 0.1.0
 */
export class ImportIncomplete extends Schema.TaggedError<ImportIncomplete>()("ImportIncomplete", {
  file: Schema.String,
  recorded: Schema.Number,
  skipped: Schema.Number,
  issues: Schema.Array(RowIssue)
}) {
  override get message() {
    return [
      `Nhập ${this.file} chưa xong: đã ghi ${this.recorded} dòng, bỏ qua ${this.skipped} (đã có), ${this.issues.length} dòng chưa ghi; chạy lại để ghi tiếp / ` +
        `${this.file} was imported in part: ${this.recorded} row(s) recorded, ${this.skipped} skipped (already recorded), ${this.issues.length} not recorded; run it again to continue`,
      ...this.issues.map((i) => `  ${i.toString()}`)
    ].join("\n")
  }
}

/**
 * A file could not be read or has a format the command does not know.
 *
 * @since 0.1.0
 */
export class UnreadableFile extends Schema.TaggedError<UnreadableFile>()("UnreadableFile", {
  file: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `Không đọc được tệp / cannot read ${this.file}: ${this.reason}`
  }
}

/**
 * A command-line value is not acceptable (beyond what the option parser checks).
 *
 * @since 0.1.0
 */
export class InvalidInput extends Schema.TaggedError<InvalidInput>()("InvalidInput", {
  option: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `Giá trị không hợp lệ / invalid value for ${this.option}: ${this.reason}`
  }
}

/**
 * A domain command or query was rejected; `detail` is the domain error's own message.
 *
 * @since 0.1.0
 */
export class Rejected extends Schema.TaggedError<Rejected>()("Rejected", {
  what: Schema.String,
  detail: Schema.String
}) {
  override get message() {
    return `${this.what}: ${this.detail}`
  }
}

const UnreadableEvent = Schema.Struct({
  stream: Schema.String,
  position: Schema.Number,
  type: Schema.String,
  version: Schema.Number,
  reason: Schema.String
})

/**
 * Stored events that do not decode (stored by an older build, or edited by hand), each named by its stream and
 * position.
 *
 * @since 0.1.0
 */
export class UnreadableEvents extends Schema.TaggedError<UnreadableEvents>()("UnreadableEvents", {
  events: Schema.Array(UnreadableEvent)
}) {
  override get message() {
    const shown = this.events.slice(0, 20)
    const more = this.events.length - shown.length
    return [
      `${this.events.length} sự kiện không đọc được / ${this.events.length} stored event(s) do not decode:`,
      ...shown.map(
        (e) => `  vị trí / position ${e.position}, ${e.stream}, ${e.type} v${e.version}: ${e.reason.slice(0, 300)}`
      ),
      ...(more > 0 ? [`  … và ${more} sự kiện nữa / and ${more} more`] : [])
    ].join("\n")
  }
}

/**
 * The error naming the events given.
 *
 * @since 0.1.0
 */
export const unreadableEvents = (
  events: ReadonlyArray<{
    readonly stream: string
    readonly position: number
    readonly type: string
    readonly version: number
    readonly reason: string
  }>
) =>
  new UnreadableEvents({
    events: events.map(({ stream, position, type, version, reason }) => ({ stream, position, type, version, reason }))
  })
