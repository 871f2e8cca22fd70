import { defineProject } from "vitest/config"

export default defineProject({
  test: {
    name: "core",
    include: ["test/**/*.test.ts"],
    // Property tests and child processes run long on a loaded 2-core machine.
    testTimeout: 60_000
  }
})
