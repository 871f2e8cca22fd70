// The server under load: the Tân Yên demo in a fresh database (SQLite file, or PostgreSQL with --pg URL), the
// national catalogs, an auditor token (reads) and a district token (writes), printed as one JSON line on stdout.
import { createServer } from "node:http"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as TanYen from "@ntm/example-tan-yen/TanYen"
import * as Server from "@ntm/http/Server"
import * as Tokens from "@ntm/http/Tokens"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"

const [database, port] = [JSON.parse(process.argv[2]), Number(process.argv[3])]
const program = Effect.gen(function* () {
  yield* TanYen.record
  yield* Server.publishNationalCatalogs
  const tokens = yield* Tokens.Tokens
  const reader = yield* tokens.create({ name: "Kiểm toán / auditor", role: "auditor" })
  const writer = yield* tokens.create({ name: "UBND huyện Tân Yên", role: "district", unit: "bac-giang/tan-yen" })
  process.stdout.write(`${JSON.stringify({ reader: reader.token, writer: writer.token })}\n`)
  yield* Layer.launch(Server.layerApp.pipe(Layer.provide(NodeHttpServer.layer(createServer, { port }))))
}).pipe(Effect.provide(Server.layerServices(database)), Logger.withMinimumLogLevel(LogLevel.Warning))
NodeRuntime.runMain(program)
