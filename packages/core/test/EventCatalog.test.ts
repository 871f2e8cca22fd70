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
