import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resolve = {
  alias: {
    '@': root,
    // Next.js enforces 'server-only' at build time; in tests it is an empty module.
    'server-only': path.join(root, 'node_modules/server-only/empty.js'),
  },
};

export default defineConfig({
  test: {
    root,
    projects: [
      { resolve, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' } },
      {
        resolve,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // Each file creates its own databases; running files one at a time keeps 2-core machines responsive.
          fileParallelism: false,
        },
      },
    ],
  },
});
