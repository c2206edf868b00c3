// Lint = the import boundaries of the three rings (STYLE.md §3), enforced rather than reviewed, plus a
// few correctness rules. Type checking is `npm run typecheck`.
import tseslint from 'typescript-eslint'

const frameworkPackages = ['fastify', 'fastify/*', '@fastify/*', 'kysely', 'kysely/*', 'pg', 'pino', 'node:sqlite', 'node:child_process', 'typebox', 'typebox/*']

const forbid = (groups, message) => ({ group: groups, message })

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'dist/**', 'bench/results/**', 'coverage/**'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      'no-debugger': 'error',
      'no-dupe-keys': 'error',
      'no-unreachable': 'error',
      'no-fallthrough': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          forbid(frameworkPackages, 'The core imports no framework, database or process package.'),
          forbid(['**/dialects/**', '**/store/**', '**/drivers/**', '**/admin/**', '**/deps.ts', '**/app.ts', '**/main.ts', '**/cli.ts', '**/config.ts'],
            'The core depends on nothing outside it: dialects, store and drivers depend on the core.'),
        ],
      }],
    },
  },
  {
    files: ['src/dialects/**/*.ts'],
    ignores: ['src/dialects/index.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          forbid(['**/store/**', '**/drivers/**', '**/deps.ts', '**/app.ts', '**/main.ts', '**/cli.ts', 'kysely', 'pg', 'node:sqlite'],
            'A dialect calls core services only: never the store, a driver or the composition root.'),
          {
            regex: '^(\\.\\./)+(dialects/)?(nhn-instance-v2|nhn-compute-v1|keystone-identity|openstack-image|openstack-network|openstack-block-storage|scp-virtual-server-v1)/',
            message: 'Dialects do not import each other; shared code goes to dialects/shared or the core.',
          },
        ],
      }],
    },
  },
  {
    files: ['src/store/**/*.ts', 'src/drivers/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [forbid(['**/dialects/**', '**/admin/**', '**/deps.ts', '**/app.ts', '**/main.ts', '**/cli.ts'],
          'Adapters implement core ports; they never see dialects or the composition root.')],
      }],
    },
  },
)
