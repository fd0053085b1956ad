import { defineConfig } from "vitest/config";

// The classroom suite: containers with podman, the kustomize base, the student Pod under
// `podman kube play`. deploy/test/run.ts installs what it needs and builds the image first.
export default defineConfig({
  test: {
    include: ["deploy/test/**/*.test.ts"],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: "forks",
    // One file at a time: the files share the 2 cores and podman's storage lock.
    fileParallelism: false,
  },
});
