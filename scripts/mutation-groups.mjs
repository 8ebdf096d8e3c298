// The modules that decide safety, grouped with the narrow uvu suites that cover them: each group is
// one Stryker run whose command runs only those suites (the command runner runs the whole command
// per mutant, so a narrow command is what makes `npm run mutate` affordable on two cores).
// `build: true` rebuilds dist/ (tsc and the esbuild bundle, as `npm run build`) from the
// instrumented sources, for suites that spawn the CLI or import dist/ (none of these groups does).
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
  // The executor's undo path without apply.ts and lock.ts: the journal, the rollback that reads it,
  // the drift check before it, the reboot rules it applies and the recovery of an unfinished run.
  'exec-undo': {
    partOf: 'exec',
    mutate: ['src/exec/journal.ts', 'src/exec/rollback.ts', 'src/exec/drift.ts', 'src/exec/reboot.ts', 'src/exec/recover.ts'],
    // powercut: stale journals after a reboot, the reboot rules, the xenstore keys of gone domains;
    // rollbackByHand: exit 4's by-hand lines, a full or read-only disk under the rollback, failing
    // undos; recover: the unfinished run rolled back first (all in-process).
    tests: 'apply/(session|drift|powercut|rollbackByHand|recover)\\.test',
  },
  // One renderer a group: ~300 mutants each, each a run of the two render suites.
  'renderers-ifupdown': {
    mutate: ['src/backends/ifupdown.ts'],
    // The render suites that import the module (ifcfgRecipes does not; faithful and dhcpLease ask
    // the ifupdown oracle, 6 s a run, and test the faithfulness check, not these renderers).
    tests: 'render/(netconfBridge|ifupdownBridge|bondRenderers|dhcpMac|ifupdownRecipes)\\.test',
  },
  'renderers-ifcfg': {
    mutate: ['src/backends/ifcfg.ts'],
    tests: 'render/(netconfBridge|bondRenderers|dhcpMac|ifcfgRecipes|ifupdownRecipes)\\.test',
  },
  // The edits only (the parsers' tokenizers are the corpus tests' job): vif specs, xl's
  // setXlSetting and string splicing, sxp's setDirective, libvirt XML's interface edits. One format
  // a group, each against the pure suites that import the file. The oracles (libxlutil through
  // python3 per corpus file: xlConfig.test, 25–45 s a run here; virt-xml-validate: libvirtSchema.test,
  // 30 s) and the corpus round trip (trust/corpus, 15 s) check the parsers and the edited files
  // against Xen and libvirt, not the edit logic, and would make a group cost hours on two cores.
  'edits-vif': {
    mutate: ['src/parse/vifSpec.ts'],
    tests: 'parse/(vifSpec|appendVif|xlEdits)\\.test',
  },
  'edits-sxp': {
    mutate: ['src/parse/sxp.ts:145-186'],
    tests: 'parse/sxp\\.test',
  },
  'edits-xl': {
    mutate: ['src/parse/xlString.ts:66-95', 'src/parse/xlConfig.ts:144-175'],
    tests: 'parse/(xlEdits|vifSpec|appendVif)\\.test',
  },
  'edits-libvirt': {
    mutate: ['src/parse/libvirtXml.ts:162-300'],
    tests: 'parse/(libvirtXml|appendVif)\\.test',
  },
};
