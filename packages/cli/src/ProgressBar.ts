/**
 * A progress bar on standard error, shown only when standard error is a terminal (never in a pipe, a log file or
 * a test), on `cli-progress`.
 *
 * @since 0.1.0
 */
import cliProgress from "cli-progress"

/**
 * A bar to move and stop.
 *
 * @since 0.1.0
 */
export interface Bar {
  readonly update: (value: number) => void
  readonly increment: () => void
  readonly stop: () => void
}

const silent: Bar = { update: () => {}, increment: () => {}, stop: () => {} }

/**
 * A bar for `total` steps with a label; a silent one when standard error is not a terminal or the total is 0.
 *
 * @since 0.1.0
 */
export const make = (label: string, total: number): Bar => {
  if (!process.stderr.isTTY || total === 0) return silent
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} | {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      etaBuffer: 1000,
      fps: 10
    },
    cliProgress.Presets.shades_classic
  )
  bar.start(total, 0)
  let value = 0
  return {
    update: (v) => {
      value = v
      bar.update(v)
    },
    increment: () => {
      value++
      bar.update(value)
    },
    stop: () => bar.stop()
  }
}
