import { defineConfig } from "vitest/config";

// QuickJS suites start wasm engines and run whole programs: no timeout under 30 s.
const TIMEOUT_MS = 30_000;

export default defineConfig({
  test: {
    testTimeout: TIMEOUT_MS,
    hookTimeout: TIMEOUT_MS,
    // Real-clock tests measure elapsed time, so they run one file at a time and only
    // after every other suite has finished (sequence.groupOrder).
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: ["test/realtime/**"],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: "realtime",
          include: ["test/realtime/**/*.test.ts"],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
