#!/usr/bin/env node
/**
 * The `ntm` executable: the command line on Node, with the platform's file system, path and terminal. Interrupting
 * it (Ctrl-C, SIGTERM) stops the running command gracefully: a server stops accepting connections and lets the
 * requests in flight finish, and the database connections are closed.
 *
 * @since 0.1.0
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Effect from "effect/Effect"
import * as Cli from "./Cli.js"

Cli.run(process.argv).pipe(
  Cli.reportErrors,
  Effect.provide(NodeContext.layer),
  NodeRuntime.runMain({ disableErrorReporting: true, disablePrettyLogger: true })
)
