/*
 * The vitest configuration of examples/validate-topics.test.ts, standing in
 * for your own project's. The repository's vitest.config.ts collects only
 * test/**, so the example runs with this one:
 *
 *   npm run build && npx vitest run --config examples/vitest.config.ts
 *
 * (or `npm run example validate-topics`). vitest resolves `crm-topics` and
 * `crm-topics/testing` through the package's `exports`, that is to the built
 * dist/, as it would resolve the installed package in your project.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['examples/*.test.ts'],
    testTimeout: 30_000,
  },
});
