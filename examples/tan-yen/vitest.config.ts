import { defineProject } from "vitest/config"

export default defineProject({
  test: {
    name: "example-tan-yen",
    include: ["test/**/*.test.ts"]
  }
})
