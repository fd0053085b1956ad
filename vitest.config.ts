import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.{ts,tsx}"],
    // Real sockets and real TLS: generous but bounded; nothing here should take long.
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: "forks",
  },
});
