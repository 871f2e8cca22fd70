/**
 * Every domain event, and how events are stored: a type, a schema version and the encoded data.
 *
 * Events are a storage contract. A change to an event's shape is a new version with an upcaster from the old
 * shape; reads upcast old versions step by step before decoding.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as CatalogSet from "./CatalogSet.js"
import * as Commitment from "./Commitment.js"
import * as Dossier from "./Dossier.js"
import type { EventData, RecordedEvent } from "./EventStore.js"
import * as Evidence from "./Evidence.js"
import * as Hierarchy from "./Hierarchy.js"
import * as Limits from "./Limits.js"
import type { LocalDate } from "./LocalDate.js"
import * as Recognition from "./Recognition.js"

/**
 * @since 0.1.0
 */
export const DomainEvent = Schema.Union(
  CatalogSet.CatalogPublished,
  ...Hierarchy.Event.members,
  ...Recognition.Event.members,
  ...Evidence.Event.members,
  ...Commitment.Event.members,
  ...Dossier.Event.members,
  Dossier.DossierListed
)

/** @since 0.1.0 */
export type DomainEvent = typeof DomainEvent.Type

/** @since 0.1.0 */
export type EventType = DomainEvent["_tag"]

/**
 * The current schema version of each event type.
 *
 * @since 0.1.0
 */
export const versions: Readonly<Record<EventType, number>> = {
  CatalogPublished: 1,
  UnitEstablished: 2,
  UnitRenamed: 1,
  UnitMoved: 1,
  UnitClassified: 1,
  UnitsMerged: 1,
  UnitDissolved: 1,
  RecognitionGranted: 1,
  RecognitionRevoked: 1,
  EvidenceRecorded: 1,
  EvidenceCorrected: 1,
  EvidenceRetracted: 1,
  IndicatorAssessed: 1,
  AssessmentWithdrawn: 1,
  CommitmentMade: 1,
  CommitmentProgressReported: 1,
  CommitmentFulfilled: 1,
  CommitmentExtended: 1,
  CommitmentWithdrawn: 1,
  DossierOpened: 1,
  SelfAssessmentSubmitted: 1,
  ConsultationRecorded: 1,
  DossierVerified: 1,
  DossierAppraised: 1,
  DossierRecognised: 1,
  RecognitionAnnounced: 1,
  DossierReturned: 1,
  DossierRevoked: 1,
  DossierListed: 1
}

/** Writes a Vietnamese name without diacritics: the usual English spelling of place names. */
const withoutDiacritics = (s: string): string =>
  s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")

/**
 * Upcasters: for a type, the function that turns data of version `v` into data of version `v + 1`.
 *
 * @since 0.1.0
 */
export const upcasters: Readonly<
  Record<string, Readonly<Record<number, (data: Record<string, unknown>) => Record<string, unknown>>>>
> = {
  UnitEstablished: {
    // v1 (the first draft) named units in Vietnamese only.
    1: (data) =>
      // A name that is not a string is left as it is, for the decoder to reject (never a unit named "undefined").
      typeof data.name === "string" ? { ...data, name: { vi: data.name, en: withoutDiacritics(data.name) } } : data
  }
}

/**
 * An event that could not be read back: unknown type, a version with no upcaster, or data that does not decode.
 *
 * @since 0.1.0
 */
export class EventDecodeError extends Schema.TaggedError<EventDecodeError>()("EventDecodeError", {
  stream: Schema.String,
  position: Schema.Number,
  type: Schema.String,
  version: Schema.Number,
  reason: Schema.String
}) {
  override get message() {
    return `Không đọc được sự kiện / cannot decode event ${this.type} v${this.version} at position ${this.position} of ${this.stream}: ${this.reason}`
  }
}

/**
 * A decoded event with the store's envelope.
 *
 * @since 0.1.0
 */
export interface Recorded<E = DomainEvent> {
  readonly position: number
  readonly stream: string
  readonly streamVersion: number
  readonly recordedAt: number
  readonly event: E
}

const encodeEvent = Schema.encodeSync(DomainEvent)
const decodeEvent = Schema.decodeUnknownEither(DomainEvent)

/**
 * Encodes an event for the store.
 *
 * @since 0.1.0
 */
export const encode = (event: DomainEvent): EventData => ({
  type: event._tag,
  version: versions[event._tag],
  data: encodeEvent(event)
})

/**
 * An event that would not read back as it was decided, so it is not appended: a number JSON cannot write
 * (`Infinity` becomes `null`), a text a store cannot keep (a control character, a lone surrogate), an event too
 * long, or data that does not decode to the same event.
 *
 * @since 0.1.0
 */
export class EventNotStorable extends Schema.TaggedError<EventNotStorable>()("EventNotStorable", {
  stream: Schema.String,
  type: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `Không thể ghi sự kiện ${this.type} vào ${this.stream}, vì khi đọc lại nó sẽ khác / the ${this.type} event for ${this.stream} is not recorded, as it would not read back as decided: ${this.reason}`
  }
}

/**
 * Encodes an event for the store and checks that what is stored reads back as what was decided: the event is
 * encoded, written as a store writes it (JSON text), parsed, decoded, and encoded again; the two texts must be the
 * same. Every store keeps JSON, so an event that passes reads back from any of them.
 *
 * @since 0.1.0
 */
export const encodeChecked = (stream: string, event: DomainEvent): Either.Either<EventData, EventNotStorable> => {
  const fail = (reason: string) => Either.left(new EventNotStorable({ stream, type: event._tag, reason }))
  let data: EventData
  let text: string
  try {
    data = encode(event)
    text = JSON.stringify(data.data)
  } catch (e) {
    return fail(`it cannot be encoded: ${e instanceof Error ? e.message : String(e)}`)
  }
  if (text.length > Limits.maxEventLength)
    return fail(`it is ${text.length} characters long, more than ${Limits.maxEventLength}`)
  const forbidden = Limits.findForbiddenText(data.data)
  if (forbidden !== undefined)
    return fail(`${forbidden.path.join(".") || "a key"} holds a control character or a lone surrogate`)
  const back = decode({
    position: 0,
    stream,
    streamVersion: 0,
    recordedAt: 0,
    type: data.type,
    version: data.version,
    data: JSON.parse(text)
  })
  if (Either.isLeft(back)) return fail(back.left.reason)
  let again: string
  try {
    again = JSON.stringify(encode(back.right.event).data)
  } catch (e) {
    return fail(`it cannot be encoded again: ${e instanceof Error ? e.message : String(e)}`)
  }
  return again === text ? Either.right(data) : fail("it reads back differently")
}

/**
 * Upcasts stored data to the current version of its type.
 *
 * @since 0.1.0
 */
export const upcast = (type: string, version: number, data: unknown): Either.Either<unknown, string> => {
  const current = (versions as Record<string, number>)[type]
  if (current === undefined) return Either.left(`unknown event type ${type}`)
  if (version > current) return Either.left(`version ${version} is newer than this library's ${current}`)
  if (version < current && (typeof data !== "object" || data === null || Array.isArray(data))) {
    return Either.left("the data is not an object")
  }
  let d = data as Record<string, unknown>
  for (let v = version; v < current; v++) {
    const up = upcasters[type]?.[v]
    if (up === undefined) return Either.left(`no upcaster from version ${v}`)
    d = up(d)
  }
  return Either.right(d)
}

/**
 * Decodes a stored event, upcasting old versions.
 *
 * @since 0.1.0
 */
export const decode = (recorded: RecordedEvent): Either.Either<Recorded, EventDecodeError> => {
  const fail = (reason: string) =>
    new EventDecodeError({
      stream: recorded.stream,
      position: recorded.position,
      type: recorded.type,
      version: recorded.version,
      reason
    })
  return upcast(recorded.type, recorded.version, recorded.data).pipe(
    Either.mapLeft(fail),
    Either.flatMap((data) =>
      decodeEvent({ ...(data as object), _tag: recorded.type }).pipe(
        Either.mapLeft((e) => fail(ParseResult.TreeFormatter.formatErrorSync(e)))
      )
    ),
    Either.map((event) => ({
      position: recorded.position,
      stream: recorded.stream,
      streamVersion: recorded.streamVersion,
      recordedAt: recorded.recordedAt,
      event
    }))
  )
}

/**
 * The date an event takes effect (set by the domain; the recorded time is set by the store).
 *
 * @since 0.1.0
 */
export const effectiveDate = (event: DomainEvent): LocalDate => event.effective
