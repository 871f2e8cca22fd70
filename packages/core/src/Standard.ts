/**
 * Standards (chuẩn) a unit can be recognised as meeting: NTM (nông thôn mới), advanced NTM (nâng cao), model NTM
 * (kiểu mẫu), and others a catalog may define (a modern NTM commune of the 2026–2030 set, a civilised town).
 *
 * A standard is an open identifier, not a closed list: a catalog names the standard it defines, and requirements
 * name the standards they count.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * @since 0.1.0
 */
export const StandardId = Schema.String.pipe(
  Schema.maxLength(100),
  Schema.pattern(/^[a-z][a-z0-9-]*$/, { message: () => "a standard is written in lower case, e.g. ntm or advanced" }),
  Schema.brand("@ntm/core/StandardId"),
  Schema.annotations({ identifier: "StandardId" })
)

/** @since 0.1.0 */
export type StandardId = typeof StandardId.Type

/** @since 0.1.0 */
export const standardId = (s: string): StandardId => s as StandardId

/** Labels of the standards known to the national programme; other ids are shown as they are. @since 0.1.0 */
export const knownLabels: Record<string, string> = {
  ntm: "nông thôn mới / new rural (NTM)",
  advanced: "nông thôn mới nâng cao / advanced NTM",
  model: "nông thôn mới kiểu mẫu / model NTM",
  modern: "nông thôn mới hiện đại / modern NTM",
  "civilised-urban": "đô thị văn minh / civilised urban",
  "task-completed": "hoàn thành nhiệm vụ xây dựng NTM / NTM task completed"
}

/** @since 0.1.0 */
export const label = (s: StandardId): string => knownLabels[s] ?? s
