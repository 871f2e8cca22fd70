/**
 * The first tokens of a new installation: an administrator's, and (for the demo) a read-only auditor's. Each is
 * created only when no live token of its role exists, and its secret is printed once.
 *
 * @since 0.1.0
 */
import type * as Actor from "@ntm/core/Actor"
import * as HttpTokens from "@ntm/http/Tokens"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"

/**
 * Creates a token for a role when no live one exists; returns its secret, or undefined when one already existed.
 *
 * @since 0.1.0
 */
export const ensure = (role: Actor.Role, name: string) =>
  Effect.gen(function* () {
    const tokens = yield* HttpTokens.Tokens
    const live = (yield* tokens.list).filter((t) => t.principal.role === role && t.revokedAt === undefined)
    if (live.length > 0) return undefined
    return yield* tokens.create({ name, role })
  })

/**
 * Prints a new token with a warning that it is shown only once.
 *
 * @since 0.1.0
 */
export const announce = (created: { readonly token: string; readonly info: HttpTokens.TokenInfo }) =>
  Console.log(
    [
      "",
      `Mã truy cập mới / new ${created.info.principal.role} token (${created.info.principal.name}), id ${created.info.id}:`,
      `  ${created.token}`,
      "Mã này chỉ hiện một lần; hãy lưu lại / it is shown only once; keep it safe.",
      `  curl -H "Authorization: Bearer ${created.token}" ...`,
      ""
    ].join("\n")
  )
