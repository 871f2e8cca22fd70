/**
 * The HTTP API reference page (`docs/http-api.md`), generated from the contract's OpenAPI document: every endpoint
 * with its method, path, group, parameters, body and answers. A test keeps the page in step with the contract.
 *
 * This module imports no Node code.
 *
 * @since 0.1.0
 */
import * as OpenApi from "@effect/platform/OpenApi"
import { Api } from "./Api.js"

interface Operation {
  readonly tags?: ReadonlyArray<string>
  readonly operationId?: string
  readonly description?: string
  readonly parameters?: ReadonlyArray<{
    readonly name: string
    readonly in: string
    readonly required?: boolean
    readonly description?: string
    readonly schema?: unknown
  }>
  readonly requestBody?: { readonly content?: Record<string, { readonly schema?: unknown }> }
  readonly responses?: Record<string, { readonly description?: string }>
  readonly security?: ReadonlyArray<unknown>
}

const schemaName = (schema: unknown): string => {
  if (typeof schema !== "object" || schema === null) return "any"
  const s = schema as {
    $ref?: string
    type?: string
    anyOf?: ReadonlyArray<unknown>
    items?: unknown
    enum?: unknown[]
  }
  if (s.$ref !== undefined) return s.$ref.replace("#/components/schemas/", "")
  if (s.enum !== undefined) return s.enum.map((v) => JSON.stringify(v)).join(" \\| ")
  if (s.anyOf !== undefined) return s.anyOf.map(schemaName).join(" \\| ")
  if (s.type === "array") return `${schemaName(s.items)}[]`
  return s.type ?? "object"
}

/**
 * The reference page as Markdown.
 *
 * @since 0.1.0
 */
export const markdown = (): string => {
  const spec = OpenApi.fromApi(Api) as unknown as {
    readonly info: { readonly title: string; readonly version: string; readonly description?: string }
    readonly paths: Record<string, Record<string, Operation>>
    readonly tags?: ReadonlyArray<{ readonly name: string; readonly description?: string }>
  }
  const lines: Array<string> = [
    "# HTTP API reference / Tham chiếu API HTTP",
    "",
    "<!-- Generated from packages/http/src/Api.ts by packages/http/test/ApiReference.test.ts; do not edit. -->",
    "<!-- Regenerate: UPDATE_DOCS=1 npx vitest run --project http ApiReference -->",
    "",
    `${spec.info.title}, version ${spec.info.version}. ${spec.info.description ?? ""}`,
    "",
    "The running server serves the same contract as OpenAPI at `/openapi.json` and as a page at `/docs`. Every",
    "endpoint but `/health` and `/ready` needs `Authorization: Bearer <token>`. The guide is [http.md](http.md).",
    ""
  ]
  const byTag = new Map<string, Array<readonly [string, string, Operation]>>()
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const tag = op.tags?.[0] ?? "other"
      const list = byTag.get(tag) ?? []
      list.push([method.toUpperCase(), path, op])
      byTag.set(tag, list)
    }
  }
  for (const [tag, ops] of byTag) {
    const description = spec.tags?.find((t) => t.name === tag)?.description
    lines.push(`## ${tag}`, "")
    if (description !== undefined) lines.push(description, "")
    for (const [method, path, op] of ops) {
      lines.push(`### \`${method} ${path}\``, "")
      if (op.operationId !== undefined) lines.push(`Operation \`${op.operationId}\`.`, "")
      const params = op.parameters ?? []
      if (params.length > 0) {
        lines.push("| Parameter | In | Required | Type | Description |", "|---|---|---|---|---|")
        for (const p of params)
          lines.push(
            `| \`${p.name}\` | ${p.in} | ${p.required === true ? "yes" : "no"} | ${schemaName(p.schema)} | ${(p.description ?? "").replace(/\n/g, " ")} |`
          )
        lines.push("")
      }
      const body = op.requestBody?.content?.["application/json"]?.schema
      if (body !== undefined) lines.push(`Body: \`${schemaName(body)}\` (JSON).`, "")
      const answers = Object.entries(op.responses ?? {})
        .map(([status, r]) => `${status} ${r.description ?? ""}`.trim())
        .join("; ")
      lines.push(`Answers: ${answers}.`, "")
    }
  }
  return `${lines.join("\n").trimEnd()}\n`
}
