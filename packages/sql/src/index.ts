/**
 * `@ntm/sql`: the event store of `@ntm/core` on `@effect/sql`.
 *
 * @since 0.1.0
 */

/** Signed checkpoints of the log's head. */
export * as Anchor from "./Anchor.js"
/** The evidence read model. */
export * as EvidenceReadModel from "./EvidenceReadModel.js"
/** The hash chains of the log. */
export * as HashChain from "./HashChain.js"
/** The schema and its migrations. */
export * as Migrations from "./Migrations.js"
/** PostgreSQL. */
export * as PgEventStore from "./PgEventStore.js"
/** The driver-agnostic store. */
export * as SqlEventStore from "./SqlEventStore.js"
/** SQLite (embedded default). */
export * as SqliteEventStore from "./SqliteEventStore.js"
/** Projections into SQL tables with their checkpoints. */
export * as SqlProjection from "./SqlProjection.js"
/** Snapshots of the scorecard projection. */
export * as SqlSnapshots from "./SqlSnapshots.js"
