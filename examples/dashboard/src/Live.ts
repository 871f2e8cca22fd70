/**
 * The live feed: `GET /events` read as server-sent events with `fetch`, because `EventSource` cannot send the
 * bearer token. It resumes after the last id it saw when the connection drops.
 */
import { baseOf, type Connection } from "./Client.js"

/** One recorded event as the feed sends it. */
export interface LiveEvent {
  readonly position: number
  readonly type: string
  readonly stream: string
  readonly data: unknown
}

/** What the feed reports besides events. */
export type LiveStatus = "connecting" | "live" | "offline"

/** Parses one server-sent-events block (`id:`, `event:`, `data:` lines); comments and other blocks give nothing. */
export const parseBlock = (block: string): LiveEvent | undefined => {
  let type = "message"
  const data: Array<string> = []
  for (const line of block.split("\n")) {
    if (line.startsWith(":") || line === "") continue
    const colon = line.indexOf(":")
    const field = colon < 0 ? line : line.slice(0, colon)
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "")
    if (field === "event") type = value
    else if (field === "data") data.push(value)
  }
  if (data.length === 0 || type === "error") return undefined
  const body = JSON.parse(data.join("\n")) as { position: number; stream: string; type: string; data: unknown }
  return { position: body.position, type: body.type, stream: body.stream, data: body.data }
}

/**
 * Follows the feed from `after` until `signal` aborts, calling `onEvent` for each event and `onStatus` when the
 * connection opens or drops. Retries every few seconds.
 */
export const follow = async (options: {
  readonly connection: Connection
  readonly after: number
  readonly signal: AbortSignal
  readonly onEvent: (e: LiveEvent) => void
  readonly onStatus: (s: LiveStatus) => void
}): Promise<void> => {
  const { connection, signal } = options
  let after = options.after
  const base = baseOf(connection)
  while (!signal.aborted) {
    options.onStatus("connecting")
    try {
      const response = await fetch(`${base}/events?after=${after}`, {
        headers: { authorization: `Bearer ${connection.token}`, accept: "text/event-stream" },
        cache: "no-store",
        signal
      })
      if (!response.ok || response.body === null) throw new Error(`HTTP ${response.status}`)
      options.onStatus("live")
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
      let buffer = ""
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        buffer += value.replace(/\r\n?/g, "\n")
        let end = buffer.indexOf("\n\n")
        while (end >= 0) {
          const event = parseBlock(buffer.slice(0, end))
          buffer = buffer.slice(end + 2)
          if (event !== undefined) {
            after = Math.max(after, event.position)
            options.onEvent(event)
          }
          end = buffer.indexOf("\n\n")
        }
      }
    } catch {
      if (signal.aborted) return
    }
    options.onStatus("offline")
    await new Promise((resolve) => setTimeout(resolve, 3000))
  }
}
