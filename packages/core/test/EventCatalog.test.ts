/**
 * The event catalog in `docs/events.md` is generated from the event schemas, and this test keeps it so: it fails when
 * an event's fields or version change without the page. `UPDATE_DOCS=1 npx vitest run EventCatalog` rewrites it.
 */

import { readFileSync, writeFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"
import * as Option from "effect/Option"
import * as AST from "effect/SchemaAST"
import * as Events from "../src/Events.js"
import * as Limits from "../src/Limits.js"

const page = fileURLToPath(new URL("../../../docs/events.md", import.meta.url))

const modules: ReadonlyArray<readonly [string, string, ReadonlyArray<string>]> = [
  ["CatalogSet.ts", "Catalog-{catalogId}", ["CatalogPublished"]],
  [
    "Hierarchy.ts",
    "Hierarchy-vn",
    ["UnitEstablished", "UnitRenamed", "UnitMoved", "UnitClassified", "UnitsMerged", "UnitDissolved"]
  ],
  ["Recognition.ts", "Recognition-{unitId}", ["RecognitionGranted", "RecognitionRevoked"]],
  [
    "Evidence.ts",
    "Evidence-{unitId}",
    ["EvidenceRecorded", "EvidenceCorrected", "EvidenceRetracted", "IndicatorAssessed", "AssessmentWithdrawn"]
  ],
  [
    "Commitment.ts",
    "Commitment-{commitmentId}",
    ["CommitmentMade", "CommitmentProgressReported", "CommitmentFulfilled", "CommitmentExtended", "CommitmentWithdrawn"]
  ],
  [
    "Dossier.ts",
    "Dossier-{dossierId}",
    [
      "DossierOpened",
      "SelfAssessmentSubmitted",
      "ConsultationRecorded",
      "DossierVerified",
      "DossierAppraised",
      "DossierRecognised",
      "RecognitionAnnounced",
      "DossierReturned",
      "DossierRevoked"
    ]
  ],
  ["Dossier.ts", "DossierIndex-{unitId}", ["DossierListed"]]
]

/** The identifier of a schema, looking through classes, optional unions and arrays. */
const idOf = (ast: AST.AST): string | undefined => {
  const own = AST.getIdentifierAnnotation(ast)
  if (Option.isSome(own)) return own.value.replace("@ntm/core/", "")
  if (AST.isTransformation(ast)) return idOf(ast.to)
  if (AST.isRefinement(ast)) {
    // A bounded list (`Limits.boundedArray`): the list, and its bound.
    const inner = idOf(ast.from)
    const max = Option.getOrUndefined(AST.getJSONSchemaAnnotation(ast)) as { readonly maxItems?: number } | undefined
    return inner === undefined || max?.maxItems === undefined ? inner : `${inner} (≤ ${max.maxItems})`
  }
  if (AST.isUnion(ast)) {
    const defined = ast.types.filter((t) => t._tag !== "UndefinedKeyword")
    if (defined.length === 1) return idOf(defined[0]!)
  }
  if (AST.isTupleType(ast) && ast.elements.length === 0 && ast.rest.length === 1) {
    const inner = idOf(ast.rest[0]!.type)
    return inner === undefined ? undefined : `ReadonlyArray<${inner}>`
  }
  return undefined
}

/** A short name for a field's type: the schema's identifier where it has one, else its encoded form. */
const typeName = (typeSide: AST.AST, encoded: AST.AST): string => {
  const id = idOf(typeSide)
  if (id !== undefined) return id
  const text = String(encoded).replace(/readonly /g, "")
  return text.length > 70 ? `${text.slice(0, 67)}…` : text
}

const render = (): string => {
  const byTag = new Map(Events.DomainEvent.members.map((m) => [(m as unknown as { readonly _tag: string })._tag, m]))
  const out = [
    "# Event catalog",
    "",
    "Every domain event: its stream, its schema version, and its fields as stored (JSON). Generated from the schemas",
    "by `packages/core/test/EventCatalog.test.ts`, which fails when this page falls behind them. A `?` marks an",
    "optional field. Every event also carries the store's envelope: global position, stream version and recorded time.",
    "",
    "## What a record may hold",
    "",
    "Product limits that `@ntm/core` enforces (`Limits.ts`), on every command and every event, so that what is",
    "recorded stays readable by every store; they are not law. They were set so that no well-formed event of an",
    "earlier build breaks them (stored events are read with the same schemas).",
    "",
    "- **Read back before it is appended.** Every event is encoded, written as a store writes it (JSON text), parsed,",
    "  decoded and compared with what was decided before anything is appended; one that would read back differently",
    `  is refused with \`EventNotStorable\` (HTTP 422), and nothing is appended. An event is at most ${Limits.maxEventLength.toLocaleString("en")} characters`,
    "  of JSON (a whole catalog is one event).",
    "- **Numbers** are finite: `1e999` reads as `Infinity`, which JSON writes as `null`; every number field refuses it.",
    `- **Ids** (\`Id\`: units, evidence entries, assessments, commitments, dossiers, recognitions, decision`,
    "  numbers, indicator codes, actors, class schemes and codes, the catalog versions commands cite) have one",
    "  grammar: visible characters (letters, marks, digits, punctuation, symbols) and inner spaces, at most",
    `  ${Limits.maxIdLength} characters, no control, format or private-use character, no other kind of space, none at either end.`,
    "  Catalog ids and standards keep their own, narrower patterns (lower case letters, digits and `. / _ -`).",
    `- **Texts** (\`Text\`, \`NonEmptyText\`: names, reasons, notes, descriptions, titles, agencies, both sides of a`,
    `  \`Bilingual\`) hold at most ${Limits.maxTextLength.toLocaleString("en")} characters, and no C0 or C1 control character but tab and newline (a`,
    "  carriage return only before a newline), and no lone surrogate. A catalog's other free texts are held to the",
    "  same characters by the read-back check.",
    `- **Lists**: at most ${Limits.maxSources} documents behind one piece of evidence; at most ${Limits.maxListLength.toLocaleString("en")} items in the other lists of an`,
    "  event (a commitment's indicators, criteria and evidence, a return's reasons, a consultation's sub-units, units",
    "  merged at once, the lines of a frozen scorecard).",
    `- **Dates** lie from ${Limits.earliestDate} to ${Limits.latestDate}, in events and in queries (\`asOf\`).`,
    "- **References resolve**: a recognition (granted directly or by a dossier) and a dossier cite a published catalog",
    "  version (`UnknownCatalogVersion` otherwise); a commitment about a catalog cites a published one; evidence and",
    "  assessments cite a catalog version in force for the unit and entries that exist; a commitment is made for a",
    "  unit in force on its effective date (`UnitNotInForce` otherwise).",
    ""
  ]
  for (const [module, stream, tags] of modules) {
    out.push(`## ${module.replace(".ts", "")} (\`${stream}\`)`, "")
    for (const tag of tags) {
      const schema = byTag.get(tag)
      if (schema === undefined) throw new Error(`no event ${tag}`)
      const version = Events.versions[tag as Events.EventType]
      const encoded = AST.encodedAST(schema.ast)
      const fields = schema.fields as Record<string, { readonly ast: unknown }>
      const fieldAst = (name: PropertyKey): AST.AST | undefined => {
        const a = fields[String(name)]?.ast as
          | AST.AST
          | { readonly _tag: "PropertySignatureDeclaration"; readonly type: AST.AST }
          | { readonly _tag: "PropertySignatureTransformation"; readonly to: { readonly type: AST.AST } }
          | undefined
        if (a === undefined) return undefined
        if (a._tag === "PropertySignatureDeclaration") return a.type
        if (a._tag === "PropertySignatureTransformation") return a.to.type
        return a as AST.AST
      }
      out.push(`### \`${tag}\` (v${version})`, "", "| field | type |", "|---|---|")
      if (!AST.isTypeLiteral(encoded)) throw new Error(`${tag} is not a struct`)
      for (const p of encoded.propertySignatures) {
        if (p.name === "_tag") continue
        const t = typeName(fieldAst(p.name) ?? p.type, p.type).replace(/\|/g, "\\|")
        out.push(`| \`${String(p.name)}${p.isOptional ? "?" : ""}\` | \`${t}\` |`)
      }
      out.push("")
    }
  }
  return `${out.join("\n").trimEnd()}\n`
}

describe("docs/events.md", () => {
  it("lists every event type the library knows, with its current fields and version", () => {
    const listed = modules.flatMap(([, , tags]) => tags).sort()
    expect(listed).toEqual(Object.keys(Events.versions).sort())
    const text = render()
    if (process.env.UPDATE_DOCS === "1") writeFileSync(page, text)
    expect(readFileSync(page, "utf8")).toBe(text)
  })
})
