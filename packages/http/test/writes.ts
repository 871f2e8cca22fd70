/**
 * Every write endpoint of the API, with a caller the gate lets through and a well-formed body to break: shared by
 * the hostile-input tests (Malformed.test.ts) and the fuzz test (Fuzz.test.ts).
 */
import * as Bench from "./helpers.js"

const { units } = Bench

export interface Endpoint {
  readonly path: string
  /** A caller the gate lets through, so that the body itself is what is judged. */
  readonly as: Bench.Who
  /** A well-formed body, to be broken. */
  readonly template: Record<string, unknown>
  /** The fields the body cannot do without. */
  readonly required: ReadonlyArray<string>
  /** Fields whose schema no hostile string meets (a tag, a date, a pattern). */
  readonly constrained: ReadonlyArray<string>
}

const catalogRef = { id: "test/commune", version: "1" }

export const endpoints: ReadonlyArray<Endpoint> = [
  {
    path: "/catalogs",
    as: "admin",
    template: Bench.catalogDocument({ id: "test/fuzz" }),
    required: ["id", "version", "name", "appliesTo", "standard", "effective", "criteria", "provenance", "legalBasis"],
    constrained: ["id", "standard", "appliesTo", "effective"]
  },
  {
    path: "/hierarchy",
    as: "admin",
    template: {
      _tag: "EstablishUnit",
      unit: "p/d/fuzz",
      kind: "commune",
      name: { vi: "Xã thử", en: "Fuzz commune" },
      parent: units.D,
      effective: "2024-01-01"
    },
    required: ["_tag", "unit", "kind", "name", "effective"],
    constrained: ["_tag", "kind", "effective"]
  },
  {
    path: "/evidence",
    as: "province",
    template: {
      _tag: "RecordEvidence",
      entry: "fuzz-1",
      unit: units.C1,
      catalog: catalogRef.id,
      code: "1.1",
      value: { _tag: "Attained", attained: true },
      effective: "2025-01-01",
      sources: []
    },
    required: ["_tag", "entry", "unit", "catalog", "code", "value", "effective", "sources"],
    constrained: ["_tag", "catalog", "effective", "value"]
  },
  {
    path: "/commitments",
    as: "province",
    template: {
      _tag: "MakeCommitment",
      commitment: "fuzz-1",
      maker: { name: "UBND xã", unit: units.C1 },
      to: { name: "UBND huyện" },
      subject: { unit: units.C1 },
      description: "Cam kết / commitment",
      due: "2027-01-01",
      responsible: { agency: "Ban quản lý" },
      effective: "2026-01-01"
    },
    required: ["_tag", "commitment", "maker", "to", "subject", "description", "due", "responsible", "effective"],
    constrained: ["_tag", "due", "effective", "subject"]
  },
  {
    path: "/dossiers",
    as: "commune",
    template: {
      _tag: "OpenDossier",
      dossier: "fuzz-1",
      effective: "2026-01-01",
      unit: units.C1,
      standard: "ntm",
      catalog: catalogRef
    },
    required: ["_tag", "dossier", "effective", "unit", "standard", "catalog"],
    constrained: ["_tag", "standard", "effective", "catalog"]
  },
  {
    path: "/recognitions",
    as: "province",
    template: {
      _tag: "GrantRecognition",
      recognition: "fuzz-1",
      unit: units.C1,
      standard: "ntm",
      catalog: catalogRef,
      decision: { number: "1/QĐ", date: "2025-06-01" },
      effective: "2025-06-01"
    },
    required: ["_tag", "recognition", "unit", "standard", "catalog", "decision", "effective"],
    constrained: ["_tag", "standard", "effective", "decision"]
  }
]
