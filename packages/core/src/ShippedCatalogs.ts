/**
 * The criteria-set catalogs shipped with the package, as JSON documents under `catalogs/`, and their loader.
 *
 * The national documents hold only what was found in the sources: unknown thresholds and requirements stay
 * unknown, and every item carries its provenance. The illustrative Tân Yên catalog is invented for the runnable
 * example and is kept apart in {@link illustrativeDocuments}.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import illustrativeTanYen from "../catalogs/illustrative-tan-yen-district-advanced.json" with { type: "json" }
import communeAdvanced2021 from "../catalogs/vn-2021-2025-commune-advanced.json" with { type: "json" }
import communeAdvanced2021_211 from "../catalogs/vn-2021-2025-commune-advanced-211.json" with { type: "json" }
import communeModel2021 from "../catalogs/vn-2021-2025-commune-model.json" with { type: "json" }
import communeNtm2021 from "../catalogs/vn-2021-2025-commune-ntm.json" with { type: "json" }
import communeNtm2021_211 from "../catalogs/vn-2021-2025-commune-ntm-211.json" with { type: "json" }
import districtAdvanced2021 from "../catalogs/vn-2021-2025-district-advanced.json" with { type: "json" }
import districtAdvanced2021_211 from "../catalogs/vn-2021-2025-district-advanced-211.json" with { type: "json" }
import districtNtm2021 from "../catalogs/vn-2021-2025-district-ntm.json" with { type: "json" }
import districtNtm2021_211 from "../catalogs/vn-2021-2025-district-ntm-211.json" with { type: "json" }
import districtSpecial2021 from "../catalogs/vn-2021-2025-district-special.json" with { type: "json" }
import communeNtm2026 from "../catalogs/vn-2026-2030-commune-ntm.json" with { type: "json" }
import * as Catalog from "./Catalog.js"

/**
 * A catalog document as shipped: its file name and its parsed, not yet decoded, JSON.
 *
 * @since 0.1.0
 */
export interface Document {
  readonly file: string
  readonly document: unknown
}

/**
 * The national catalog documents (2021–2025 and 2026–2030 sets), each base before the overlays derived from it.
 *
 * @since 0.1.0
 */
export const documents: ReadonlyArray<Document> = [
  { file: "vn-2021-2025-commune-ntm.json", document: communeNtm2021 },
  { file: "vn-2021-2025-commune-ntm-211.json", document: communeNtm2021_211 },
  { file: "vn-2021-2025-commune-advanced.json", document: communeAdvanced2021 },
  { file: "vn-2021-2025-commune-advanced-211.json", document: communeAdvanced2021_211 },
  { file: "vn-2021-2025-commune-model.json", document: communeModel2021 },
  { file: "vn-2021-2025-district-ntm.json", document: districtNtm2021 },
  { file: "vn-2021-2025-district-ntm-211.json", document: districtNtm2021_211 },
  { file: "vn-2021-2025-district-advanced.json", document: districtAdvanced2021 },
  { file: "vn-2021-2025-district-advanced-211.json", document: districtAdvanced2021_211 },
  { file: "vn-2021-2025-district-special.json", document: districtSpecial2021 },
  { file: "vn-2026-2030-commune-ntm.json", document: communeNtm2026 }
]

/**
 * The documents invented for examples (never law): the Tân Yên advanced-district catalog.
 *
 * @since 0.1.0
 */
export const illustrativeDocuments: ReadonlyArray<Document> = [
  { file: "illustrative-tan-yen-district-advanced.json", document: illustrativeTanYen }
]

/**
 * The ids of the shipped criteria sets.
 *
 * @since 0.1.0
 */
export const ids = {
  communeNtm2021: Catalog.catalogId("vn/2021-2025/commune-ntm"),
  communeAdvanced2021: Catalog.catalogId("vn/2021-2025/commune-advanced"),
  communeModel2021: Catalog.catalogId("vn/2021-2025/commune-model"),
  districtNtm2021: Catalog.catalogId("vn/2021-2025/district-ntm"),
  districtAdvanced2021: Catalog.catalogId("vn/2021-2025/district-advanced"),
  districtSpecial2021: Catalog.catalogId("vn/2021-2025/district-special"),
  communeNtm2026: Catalog.catalogId("vn/2026-2030/commune-ntm"),
  tanYenIllustrative: Catalog.catalogId("illustrative/tan-yen/district-advanced")
} as const

/**
 * Decodes documents in order, resolving each overlay against the catalogs loaded before it. Stops at the first
 * invalid document. By default loads the national documents, then the illustrative ones.
 *
 * @since 0.1.0
 */
export const load = (
  docs: ReadonlyArray<Document> = [...documents, ...illustrativeDocuments]
): Either.Either<ReadonlyArray<Catalog.Catalog>, Catalog.CatalogInvalid> => {
  const loaded: Array<Catalog.Catalog> = []
  for (const { file, document } of docs) {
    const result = Catalog.load(document, loaded, file)
    if (Either.isLeft(result)) return Either.left(result.left)
    loaded.push(result.right)
  }
  return Either.right(loaded)
}
