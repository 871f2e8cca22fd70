import { defineProject } from "vitest/config"

export default defineProject({
  test: {
    name: "dashboard",
    include: ["test/**/*.test.ts"],
    // The end-to-end test builds the page, starts the server and drives Chromium on a loaded 2-core machine.
    testTimeout: 180_000,
    hookTimeout: 180_000
  }
})
