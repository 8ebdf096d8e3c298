// The architecture as rules that fail `npm test` (scripts/test.mjs runs `depcruise src steps`).
// Imports flow one way, bottom to top (DESIGN.md, STYLE.md): a layer imports only the layers
// listed before it. test/architecture.test.ts proves the rules fire on a bad import.
/** @type {[name: string, path: string, what: string][]} bottom first */
const LAYERS = [
  ['base', '^src/(errors|i18n|mac|didYouMean)[.]ts$', 'typed errors, the translator, MAC generation, did-you-mean: used everywhere'],
  ['ui', '^src/ui/', 'terminal text: display width, wrapping with kinsoku, prompt and progress themes'],
  ['model', '^src/model/', 'host facts, Topology, Plan/Step/FileChange, answers: the shared vocabulary'],
  ['parse', '^src/parse/', 'parsers and codecs of the files a dom0 has'],
  ['system', '^src/system/', 'the seams to the system: files under --root, commands, netns'],
  ['detect', '^src/detect/', 'host facts read from a root, each file parsed once'],
  ['render', '^src/(render|live)/', 'shared renderers and the live-change renderers'],
  ['backends', '^src/backends/', 'network backends: Topology → persisted files + up/down commands'],
  ['recipes', '^src/recipes/', 'one folder per recipe, composing renderers and backends'],
  ['plan', '^src/plan/', 'the planner: answers file, recipe lookup, plan formatting'],
  ['context', '^src/(context[.]ts|cli/)', 'argv and the run context'],
  ['exec', '^src/exec/', 'journal, apply, rollback, confirm, watchdog'],
  ['app', '^(src/commands/|src/main[.]ts|steps/)', 'commands and the wizard steps'],
];

const layerRules = LAYERS.slice(0, -1).map(([name, path, what], i) => ({
  name: `layer-${name}`,
  comment: `${name} (${what}) imports nothing above it: ${LAYERS.slice(i + 1).map(([n]) => n).join(', ')}`,
  severity: 'error',
  from: { path },
  to: { path: LAYERS.slice(i + 1).map(([, p]) => `(${p})`).join('|') },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A cycle makes two modules one: split out what both need, or move it down a layer.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'recipe-not-to-other-recipe',
      comment: 'A recipe folder composes src/recipes/shared and the renderers, never another recipe.',
      severity: 'error',
      from: { path: '^src/recipes/([^/]+)/' },
      to: { path: '^src/recipes/[^/]+/', pathNot: ['^src/recipes/$1/', '^src/recipes/shared/'] },
    },
    {
      name: 'shared-not-to-recipe',
      comment: 'What recipes share knows no recipe, nor the registry.',
      severity: 'error',
      from: { path: '^src/recipes/shared/' },
      to: { path: '^src/recipes/', pathNot: ['^src/recipes/shared/', '^src/recipes/types[.]ts$'] },
    },
    {
      name: 'backend-not-to-other-backend',
      comment: 'A backend knows the seam (types.ts) and its own folder, never another backend; only the registry knows them all.',
      severity: 'error',
      // A backend's own parts live in a folder of its name (src/backends/ifupdown/faithful.ts).
      from: { path: '^src/backends/(?!types[.]ts$|registry[.]ts$|ifupdownNg[.]ts$)([^/.]+)(?:[.]ts$|/)' },
      to: { path: '^src/backends/', pathNot: ['^src/backends/types[.]ts$', '^src/backends/$1[.]ts$', '^src/backends/$1/'] },
    },
    {
      name: 'dialect-only-to-its-base',
      comment: 'ifupdown-ng reads the same interfaces(5) file: it edits it with ifupdown\'s editor (its own option names), and knows no other backend.',
      severity: 'error',
      from: { path: '^src/backends/ifupdownNg[.]ts$' },
      to: { path: '^src/backends/', pathNot: ['^src/backends/types[.]ts$', '^src/backends/ifupdown[.]ts$'] },
    },
    {
      name: 'not-to-dev-dep',
      comment: 'The runtime cannot import a devDependency: npm install --omit=dev would break it.',
      severity: 'error',
      from: { path: '^(src|steps)/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to nothing.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
