import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    // The store suite is a project of its own: its global setup starts a throwaway PostgreSQL server, only when its files run.
    projects: [
      // Each project names its own files: with `extends`, an include set at the top would be added to both.
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, 'test/store/**'] } },
      { extends: true, test: { name: 'store', include: ['test/store/**/*.test.ts'], globalSetup: ['test/store/global-setup.ts'] } },
    ],
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
