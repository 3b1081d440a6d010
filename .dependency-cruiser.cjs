/**
 * The dependency direction of STYLE.md ("The shape: a core that knows no platform"), checked by
 * `npx depcruise --config .dependency-cruiser.cjs src adapters flows` (scripts/test.sh runs it).
 * Tests and bench are exempt: they are not cruised. Type-only imports count as imports.
 */
const SDK = '^node_modules/(telegraf|@slack/|mongoose|mongodb|openai|node-cron|pino|prom-client)';

/** Each SDK belongs to one adapter (or the composition root); no other adapter may import it. */
const sdkOwners = [
  { name: 'telegraf', sdk: 'telegraf/', adapter: 'telegram' },
  { name: 'slack', sdk: '@slack/', adapter: 'slack' },
  { name: 'mongodb', sdk: '(mongoose|mongodb)/', adapter: 'mongo' },
  { name: 'node-cron', sdk: 'node-cron/', adapter: 'scheduler' },
  { name: 'openai', sdk: 'openai/', adapter: 'openai' },
  { name: 'prom-client', sdk: 'prom-client/', adapter: 'metrics' },
];

module.exports = {
  forbidden: [
    {
      name: 'core-imports-nothing-of-ours',
      comment: 'src/core is the model and the ports: it imports itself, node: built-ins, zod and luxon only.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: {
        dependencyTypesNot: ['core'],
        // luxon (src/core/dates.ts) was on main before this rule: a date library, no platform; kept.
        pathNot: ['^src/core/', '^node_modules/(zod|luxon)/'],
      },
    },
    {
      name: 'flows-import-only-core',
      comment: 'A flow is platform-neutral: it imports src/core and other flows, nothing else of ours.',
      severity: 'error',
      from: { path: '^flows/' },
      to: { path: '^(src|adapters|test|bench)/', pathNot: '^src/core/' },
    },
    {
      name: 'services-import-only-core',
      comment: 'Use cases import src/core and other services, nothing else of ours (no engine, no adapter).',
      severity: 'error',
      from: { path: '^src/services/' },
      to: { path: '^(src|adapters|flows|test|bench)/', pathNot: '^src/(core|services)/' },
    },
    {
      name: 'no-sdk-in-the-core-flows-services-engine',
      comment: 'Platform, database, LLM, scheduler, logging and metrics SDKs are reached through ports.',
      severity: 'error',
      from: { path: '^(src/core|src/services|src/engine|flows)/' },
      to: { path: SDK },
    },
    {
      name: 'engine-knows-no-services-nor-adapters',
      comment: 'The engine runs flows; use cases are given to it by the composition root.',
      severity: 'error',
      from: { path: '^src/engine/' },
      to: { path: '^(src/services|adapters)/' },
    },
    {
      name: 'adapter-imports-only-core-and-itself',
      comment: 'An adapter translates for one platform: src/core and its own folder, never flows or another adapter.',
      severity: 'error',
      from: { path: '^adapters/([^/]+)/' },
      to: { path: '^(src|adapters|flows|test|bench)/', pathNot: ['^src/core/', '^adapters/$1/'] },
    },
    ...sdkOwners.map(({ name, sdk, adapter }) => ({
      name: `only-the-${adapter}-adapter-imports-${name}`,
      comment: `An adapter imports its own SDK only; ${name} belongs to adapters/${adapter}.`,
      severity: 'error',
      from: { path: '^adapters/', pathNot: `^adapters/${adapter}/` },
      to: { path: `^node_modules/${sdk}` },
    })),
    {
      name: 'only-the-composition-root-imports-adapters',
      comment: 'src/app.ts wires adapters; src/main.ts starts the process (and the local database).',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(app|main)\\.ts$' },
      to: { path: '^adapters/' },
    },
    {
      name: 'imports-resolve',
      comment: 'An import that cannot be resolved would slip past every rule above.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // `.ts` specifiers (allowImportingTsExtensions) resolve as they are; the rest as NodeNext does.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    exclude: { path: ['\\.test\\.ts$', '^test/', '^bench/'] },
  },
};
