import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    // Collected only when asked for (`npx vitest run --coverage`), so plain `vitest run` stays fast; the thresholds then apply.
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: [
        // The executable's two lines: process.argv in, process.exitCode out; main.ts holds the logic and is tested.
        'src/cli/bin.ts',
      ],
      reporter: ['text-summary', 'json-summary', 'html'],
      reportsDirectory: 'coverage',
      thresholds: { lines: 95, branches: 90 },
      // Figures even when a test fails: the report then shows what the failing run did reach.
      reportOnFailure: true,
    },
  },
});
