// The modules that decide safety, grouped with the narrow uvu suites that cover them: each group is
// one Stryker run whose command runs only those suites (the command runner runs the whole command
// per mutant, so a narrow command is what makes `npm run mutate` affordable on two cores).
// `build: true` recompiles dist/ from the instrumented sources, for suites that spawn the CLI.
export const GROUPS = {
  mac: {
    mutate: ['src/mac.ts', 'src/commands/mac.ts'],
    tests: '^mac\\.test',
  },
  answers: {
    mutate: ['src/plan/answersFile.ts', 'src/recipes/shared/ifaceName.ts'],
    tests: '(^answers|recipes/ifaceName)\\.test',
  },
  batch: {
    mutate: ['src/live/bridgeBatch.ts'],
    tests: 'live/bridgeBatch\\.test',
  },
  exec: {
    mutate: ['src/exec/journal.ts', 'src/exec/apply.ts', 'src/exec/rollback.ts', 'src/exec/drift.ts', 'src/exec/lock.ts'],
    tests: 'apply/(session|drift)\\.test',
  },
  // lock.ts alone against the exec group's suites: re-measuring one module need not re-run all five.
  lock: {
    partOf: 'exec',
    mutate: ['src/exec/lock.ts'],
    tests: 'apply/(session|drift)\\.test',
  },
  // One renderer a group: ~300 mutants each, each a run of the two render suites.
  'renderers-ifupdown': {
    mutate: ['src/backends/ifupdown.ts'],
    tests: 'render/(netconfBridge|bondRenderers|dhcpMac|ifcfgRecipes|ifupdownRecipes)\\.test',
  },
  'renderers-ifcfg': {
    mutate: ['src/backends/ifcfg.ts'],
    tests: 'render/(netconfBridge|bondRenderers|dhcpMac|ifcfgRecipes|ifupdownRecipes)\\.test',
  },
  // The edits only (the parsers' tokenizers are the corpus tests' job): vif specs, xl's
  // setXlSetting and string splicing, sxp's setDirective, libvirt XML's interface edits. One format
  // a group, each against its own suite: the corpus round trip (15 s a run here) and the xl and
  // libvirt suites (35–45 s a run: they ask libxlutil and virt-xml-validate) make one run of all
  // of them cost hours on two shared cores.
  'edits-vif': {
    mutate: ['src/parse/vifSpec.ts'],
    tests: 'parse/(vifSpec|appendVif)\\.test',
  },
  'edits-sxp': {
    mutate: ['src/parse/sxp.ts:145-186'],
    tests: 'parse/sxp\\.test',
  },
  'edits-xl': {
    mutate: ['src/parse/xlString.ts:66-95', 'src/parse/xlConfig.ts:144-175'],
    tests: '(parse/xlConfig|trust/corpus)\\.test',
  },
  'edits-libvirt': {
    mutate: ['src/parse/libvirtXml.ts:157-295'],
    tests: '(parse/libvirtXml|trust/corpus)\\.test',
  },
};
