/**
 * The typed client of the HTTP contract (`@ntm/http/Api`), derived with `HttpApiClient.make`: every path, parameter
 * and answer below is checked against the server's own schemas at compile time and decoded at run time. The page
 * calls the core's projections through it and computes none of its own.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpApiClient from "@effect/platform/HttpApiClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { LocalDate, Unit } from "@ntm/core"
import { Api } from "@ntm/http/Api"
import type * as Views from "@ntm/http/Views"
import * as Effect from "effect/Effect"
import * as Origin from "./Origin.js"

/** Where the API is and who calls it. */
export interface Connection {
  /** The API's origin and prefix, without a trailing slash (`""` is the page's own origin). */
  readonly baseUrl: string
  readonly token: string
}

/** The base URL of a connection, only on this page's origin or an allowed one (`Origin`): never another server. */
export const baseOf = (c: Connection): string => {
  const base = Origin.apiBase(c.baseUrl, window.location.href)
  if (base === undefined) throw new Error(`API address not allowed / địa chỉ API không được phép: ${c.baseUrl}`)
  return base === "" ? window.location.origin : base
}

const make = (c: Connection) =>
  HttpApiClient.make(Api, {
    baseUrl: baseOf(c),
    transformClient: HttpClient.mapRequest(HttpClientRequest.bearerToken(c.token))
  }).pipe(Effect.provide(FetchHttpClient.layer))

/** The client derived from the contract. */
export type Client = Effect.Effect.Success<ReturnType<typeof make>>

/** Path parameters are sent as given: a unit id (`bac-giang/tan-yen`) is one path segment, so it is encoded. */
const seg = (unit: string): Unit.UnitId => Unit.unitId(encodeURIComponent(unit))

/** A date from the page's state (the date input guarantees the shape; a bad one fails here, loudly). */
const day = (d: string): LocalDate.LocalDate => LocalDate.unsafeMake(d)

/** An error the page shows: a problem-details title and detail when the server sent one. */
export const describeError = (e: unknown): string => {
  if (typeof e === "object" && e !== null) {
    const p = e as { readonly detail?: unknown; readonly message?: unknown; readonly _tag?: unknown }
    if (typeof p.detail === "string") return p.detail
    if (typeof p.message === "string" && p.message !== "") return p.message
    if (typeof p._tag === "string") return p._tag
  }
  return String(e)
}

/**
 * The reads the dashboard makes, as promises. Each is one endpoint of the contract; the answers are the server's
 * views of the core's projections (`@ntm/http/Views`).
 */
export interface Reads {
  readonly units: (asOf: string) => Promise<ReadonlyArray<Views.UnitView>>
  readonly unit: (unit: string, asOf: string) => Promise<Views.UnitDetail>
  readonly catalogs: () => Promise<ReadonlyArray<Views.CatalogVersionSummary>>
  readonly scorecard: (unit: string, catalog: string, asOf: string) => Promise<Views.ScorecardView>
  readonly rollup: (unit: string, asOf: string, depth: number) => Promise<Views.RollupView>
  readonly commitments: (unit: string, asOf: string) => Promise<ReadonlyArray<Views.CommitmentView>>
  readonly dossiers: (unit: string, asOf: string) => Promise<ReadonlyArray<Views.DossierView>>
  readonly history: (unit: string, catalog: string, code: string) => Promise<ReadonlyArray<Views.HistoryLine>>
  /** The last global position, so the live feed starts from now (no token needed). */
  readonly position: () => Promise<number>
}

/** Derives the client for a connection and wraps its calls. */
export const connect = async (c: Connection): Promise<Reads> => {
  const client = await Effect.runPromise(make(c))
  const run = <A, E>(e: Effect.Effect<A, E>): Promise<A> => Effect.runPromise(e)
  return {
    units: (asOf) => run(client.units.list({ urlParams: { asOf: day(asOf) } })),
    unit: (unit, asOf) => run(client.units.read({ path: { unit: seg(unit) }, urlParams: { asOf: day(asOf) } })),
    catalogs: () => run(client.catalogs.list()),
    scorecard: (unit, catalog, asOf) =>
      run(client.scorecards.scorecard({ path: { unit: seg(unit) }, urlParams: { catalog, asOf: day(asOf) } })),
    rollup: (unit, asOf, depth) =>
      run(client.scorecards.rollup({ path: { unit: seg(unit) }, urlParams: { asOf: day(asOf), depth } })),
    commitments: (unit, asOf) =>
      run(client.commitments.list({ urlParams: { asOf: day(asOf), unit: Unit.unitId(unit) } })),
    dossiers: (unit, asOf) => run(client.dossiers.list({ urlParams: { asOf: day(asOf), unit: Unit.unitId(unit) } })),
    history: (unit, catalog, code) =>
      run(client.scorecards.history({ path: { unit: seg(unit) }, urlParams: { catalog, code } })),
    position: () => run(Effect.map(client.health.ready(), (r) => r.position))
  }
}
