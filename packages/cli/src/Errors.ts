/**
 * The errors of the command line: each says what went wrong in Vietnamese first, English beside it, and carries the
 * fields a script can act on. Any of them makes `ntm` exit with status 1.
 *
 * @since 0.1.0
 */
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

/**
 * The hash chain of the log is broken at an event.
 *
 * @since 0.1.0
 */
export class ChainBroken extends Schema.TaggedError<ChainBroken>()("ChainBroken", {
  position: Schema.Number,
  stream: Schema.String,
  streamVersion: Schema.Number,
  chain: Schema.Literal("global", "stream"),
  expected: Schema.String,
  found: Schema.NullOr(Schema.String),
  checked: Schema.Number
}) {
  override get message() {
    return (
      `Chuỗi băm bị phá vỡ tại sự kiện ${this.position} (${this.stream} #${this.streamVersion}, chuỗi ${this.chain}) / ` +
      `hash chain broken at event ${this.position} (${this.stream} #${this.streamVersion}, ${this.chain} chain): ` +
      `expected ${this.expected}, found ${this.found ?? "null"}; ${this.checked} events before it are intact`
    )
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
