// The argv parser as a table: input → options (or the error key it must raise).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCli, isLive } from '../../src/cli/args.js';
import { InputError } from '../../src/errors.js';

const ok: [string, Record<string, unknown>][] = [
  ['', { command: 'wizard', root: '/', rootGiven: false }],
  ['recipes', { command: 'recipes' }],
  ['detect --root /tmp/r --json', { command: 'detect', root: '/tmp/r', rootGiven: true, json: true }],
  ['plan --root=/x --answers a.json', { command: 'plan', root: '/x', answers: 'a.json' }],
  ['apply --yes --save-answers out.json', { command: 'apply', yes: true, saveAnswers: 'out.json' }],
  ['apply -y --confirm-timeout 30', { command: 'apply', yes: true, confirmTimeout: 30 }],
  ['apply --offline', { command: 'apply', offline: true }],
  ['apply --root /r --live', { command: 'apply', live: true, root: '/r' }],
  ['rollback', { command: 'rollback', runId: null }],
  ['rollback 20261124-101010-abcd', { command: 'rollback', runId: '20261124-101010-abcd' }],
  ['rollback --list', { command: 'rollback', list: true }],
  ['mac', { command: 'mac', count: 1 }],
  ['mac -n 5 --json', { command: 'mac', count: 5, json: true }],
  ['--lang ja', { lang: 'ja' }],
  ['--lang=en plan', { lang: 'en', command: 'plan' }],
  ['--no-color', { color: false }],
  ['--help', { help: true }],
  ['-h apply', { help: true, command: 'apply' }],
  ['--version', { version: true }],
  ['help', { help: true, command: 'wizard', helpTopic: null }],
  ['help plan', { help: true, command: 'plan' }],
  ['help help', { help: true, helpTopic: 'help' }],
  ['help --help', { help: true, helpTopic: 'help' }],
  ['completion bash', { command: 'completion', completionShell: 'bash' }],
  ['completion zsh --lang ja', { command: 'completion', completionShell: 'zsh', lang: 'ja' }],
  ['plan --recipe bond-bridge --set bond.mode=active-backup --set=bond.miimon=200', { recipe: 'bond-bridge', set: ['bond.mode=active-backup', 'bond.miimon=200'] }],
  ['--keep-demo', { keepDemo: true }],
  ['--color', { color: true }],
];

for (const [argv, expected] of ok) {
  test(`parses "${argv}"`, () => {
    const options = parseCli(argv ? argv.split(' ') : []);
    for (const [key, value] of Object.entries(expected)) {
      assert.equal((options as unknown as Record<string, unknown>)[key], value, key);
    }
  });
}

const bad: [string, string][] = [
  ['frobnicate', 'error.unknownCommand'],
  ['wizard', 'error.unknownCommand'],
  ['--bogus', 'error.unknownOption'],
  ['--root', 'error.optionNeedsValue'],
  ['--lang de', 'error.badLang'],
  ['mac -n 0', 'error.macCountRange'],
  ['mac -n many', 'error.optionNotNumber'],
  ['apply --confirm-timeout soon', 'error.optionNotNumber'],
  ['--yes=1', 'error.optionTakesNoValue'],
  ['plan extra', 'error.unexpectedArgument'],
  ['apply --offline --live', 'error.offlineAndLive'],
  ['help frobnicate', 'error.unknownCommand'],
  ['completion', 'error.completionShell'],
  ['completion fish', 'error.completionShell'],
  ['plan --set bond.mode', 'error.setNeedsEquals'],
  ['plan --set =x', 'error.setNeedsEquals'],
];

test('did you mean: the nearest command or option rides along as a parameter', () => {
  for (const [argv, suggestion] of [['pln', 'plan'], ['detetc', 'detect'], ['--jsn', '--json'], ['--keep-dmeo', '--keep-demo'], ['frobnicate', undefined]] as const) {
    try {
      parseCli([argv]);
      assert.unreachable(argv);
    } catch (err) {
      assert.is((err as InputError).params.suggestion, suggestion, argv);
    }
  }
});

for (const [argv, key] of bad) {
  test(`rejects "${argv}" with ${key}`, () => {
    try {
      parseCli(argv.split(' '));
      assert.unreachable('should have thrown');
    } catch (err) {
      assert.instance(err, InputError);
      assert.is((err as InputError).key, key);
      assert.is((err as InputError).exitCode, 2);
    }
  });
}

test('a --root run is offline unless --live; a real host is live unless --offline', () => {
  assert.is(isLive({ rootGiven: true, root: '/r', live: false, offline: false }), false);
  assert.is(isLive({ rootGiven: true, root: '/r', live: true, offline: false }), true);
  assert.is(isLive({ rootGiven: false, root: '/', live: false, offline: false }), true);
  assert.is(isLive({ rootGiven: false, root: '/', live: false, offline: true }), false);
});

test.run();
