import { execFile } from "node:child_process"
import { randomUUID } from "node:crypto"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

/** The built executable: the tests run the CLI as a user does, after `tsc -b`. */
export const bin = fileURLToPath(new URL("../dist/src/bin.js", import.meta.url))

/** A fixture file. */
export const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))

/** A fresh SQLite file in a temporary directory of its own. */
export const tempDatabase = () => join(mkdtempSync(join(tmpdir(), "ntm-cli-")), `${randomUUID()}.db`)

/** What a run printed and how it ended. */
export interface Run {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs `ntm` with arguments; never rejects, so that a test can check a failing run's exit code. */
export const ntm = (args: ReadonlyArray<string>, env: Record<string, string> = {}): Promise<Run> =>
  new Promise((resolve) => {
    const base: Record<string, string | undefined> = { ...process.env }
    for (const k of ["NTM_DATABASE", "NTM_PG_URL", "NTM_SQLITE_SYNCHRONOUS", "NTM_PORT", "NTM_LOG_LEVEL"])
      delete base[k]
    execFile(
      process.execPath,
      [bin, ...args],
      { env: { ...base, ...env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1
        resolve({ code, stdout, stderr })
      }
    )
  })
