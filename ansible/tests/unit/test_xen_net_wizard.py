# The module against the real CLI of this checkout on a temp copy of the demo dom0, and against
# canned exits the offline tree cannot produce (1, 3, 4, 130). Every JSON document the module
# reads is checked against the CLI's published schema for it.
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os

import pytest

from support import CLI, tree_fingerprint
from harness import run_module

PLAN_WITH_A_STEP = {
    'schemaVersion': 1, 'recipe': 'single-bridge', 'profile': 'xl', 'backend': 'ifupdown', 'method': 'backend-restart',
    'steps': [{'id': 'edit:/etc/xen/xl.conf', 'kind': 'file', 'phase': 'edit',
               'title': {'key': 'step.editFile', 'params': {'path': '/etc/xen/xl.conf'}, 'text': 'Edit /etc/xen/xl.conf'},
               'file': {'path': '/etc/xen/xl.conf', 'mode': '0644', 'before': 'a\n', 'after': 'b\n'}}],
    'notes': [], 'instructions': [],
}


def schema_of(call):
    """Which published schema the document of this call follows."""
    if call.rc != 0:
        return 'error'
    if call.command == 'plan':
        return 'plan'
    if call.command == 'rollback' and '--list' in call.argv:
        return 'rollback-list'
    return 'result'


def assert_schemas(schemas, calls):
    assert calls, 'the module ran the wizard'
    for call in calls:
        schemas.validate(schema_of(call), call.json)


def args_for(root, **more):
    args = {'recipe': 'single-bridge', 'root': root, 'executable': CLI}
    args.update(more)
    return args


def error_exit(key, text, code, params=None):
    return json.dumps({'schemaVersion': 1, 'error': {'key': key, 'params': params or {}, 'text': text,
                                                     'exitCode': code, 'nothingChanged': code == 2}})


def fake_apply_exit(code, key, text):
    """A CLI whose plan has one step and whose apply ends with `code`."""
    def fake(argv):
        if 'plan' in argv:
            return 0, json.dumps(PLAN_WITH_A_STEP), ''
        return code, error_exit(key, text, code), 'error: %s\n' % text
    return fake


def test_check_mode_plans_and_changes_nothing(xnw, cli, schemas, demo_root, monkeypatch, tmp_path):
    before = tree_fingerprint(demo_root, exclude_journal=False)
    result, failed, calls = run_module(xnw, monkeypatch, tmp_path, args_for(demo_root), check_mode=True)
    assert not failed, result
    assert result['changed'] is True
    assert result['plan']['steps'], 'the plan has steps'
    assert [c.command for c in calls] == ['plan']
    assert tree_fingerprint(demo_root, exclude_journal=False) == before
    assert_schemas(schemas, calls)


def test_diff_is_before_and_after_per_edited_file(xnw, cli, demo_root, monkeypatch, tmp_path):
    result, failed, _ = run_module(xnw, monkeypatch, tmp_path, args_for(demo_root), check_mode=True, diff=True)
    assert not failed, result
    files = [s['file'] for s in result['plan']['steps'] if 'file' in s]
    assert [d['after_header'] for d in result['diff']] == [f['path'] for f in files]
    interfaces = next(d for d in result['diff'] if d['before_header'] == '/etc/network/interfaces')
    with open(os.path.join(demo_root, 'etc/network/interfaces')) as handle:
        assert interfaces['before'] == handle.read()
    assert 'iface xenbr0 inet static' in interfaces['after']


def test_apply_changes_once_then_reports_unchanged(xnw, cli, schemas, demo_root, monkeypatch, tmp_path):
    before = tree_fingerprint(demo_root)
    first, failed, calls = run_module(xnw, monkeypatch, tmp_path, args_for(demo_root))
    assert not failed, first
    assert first['changed'] is True and first['run_id'] and first['journal'].startswith(demo_root)
    assert 'ifup xenbr0' in first['listed_commands'], 'an offline run lists the commands it did not run'
    assert [c.command for c in calls] == ['plan', 'apply']
    assert tree_fingerprint(demo_root) != before
    assert_schemas(schemas, calls)
    second, failed, calls = run_module(xnw, monkeypatch, tmp_path, args_for(demo_root))
    assert not failed, second
    assert second['changed'] is False and second['plan']['steps'] == []
    assert_schemas(schemas, calls)


def test_an_apply_with_diff_shows_the_files_it_changed(xnw, cli, demo_root, monkeypatch, tmp_path):
    result, failed, _ = run_module(xnw, monkeypatch, tmp_path, args_for(demo_root), diff=True)
    assert not failed and result['changed']
    for entry in result['diff']:
        with open(os.path.join(demo_root, entry['after_header'].lstrip('/'))) as handle:
            assert handle.read() == entry['after'], entry['after_header']


def test_apply_that_finds_nothing_to_do_is_unchanged(xnw, schemas, monkeypatch, tmp_path):
    # The dom0 got configured between the plan and the apply: the apply's own plan is empty.
    def fake(argv):
        if 'plan' in argv:
            return 0, json.dumps(PLAN_WITH_A_STEP), ''
        return 0, json.dumps({'schemaVersion': 1, 'status': 'already-configured', 'steps': []}), ''
    result, failed, calls = run_module(xnw, monkeypatch, tmp_path, args_for('/srv/x'), fake=fake)
    assert not failed and result['changed'] is False
    assert_schemas(schemas, calls)


def test_the_answers_reach_the_wizard_and_recipe_wins(xnw, schemas, monkeypatch, tmp_path):
    seen = {}

    def fake(argv):
        with open(argv[argv.index('--answers') + 1]) as handle:
            seen['answers'] = json.load(handle)
        return 0, json.dumps(dict(PLAN_WITH_A_STEP, steps=[])), ''
    answers = {'recipe': 'bond-bridge', 'wan.nic': 'eth0', 'guests': ['web1'], 'macs': 'auto'}
    result, failed, _ = run_module(xnw, monkeypatch, tmp_path, args_for('/srv/x', answers=answers), fake=fake)
    assert not failed, result
    assert seen['answers'] == dict(answers, recipe='single-bridge')
    schemas.validate('answers', seen['answers'])


@pytest.mark.parametrize('extra, flags', [
    ({}, []),
    ({'live': True}, ['--live']),
    ({'live': False}, ['--offline']),
    ({'live': True, 'confirm_timeout': 30}, ['--live', '--confirm-timeout', '30']),
])
def test_live_and_confirm_timeout_become_flags(xnw, monkeypatch, tmp_path, extra, flags):
    def fake(argv):
        return 0, json.dumps(dict(PLAN_WITH_A_STEP, steps=[])), ''
    _, failed, calls = run_module(xnw, monkeypatch, tmp_path, args_for('/srv/x', **extra), fake=fake)
    assert not failed
    argv = calls[0].argv
    assert argv[argv.index('--root') + 1] == '/srv/x'
    assert [a for a in argv if a in ('--live', '--offline', '--confirm-timeout', '30')] == flags


def test_bad_answers_fail_with_the_error_object_and_change_nothing(xnw, cli, schemas, demo_root, monkeypatch, tmp_path):
    before = tree_fingerprint(demo_root, exclude_journal=False)
    result, failed, calls = run_module(xnw, monkeypatch, tmp_path, args_for(demo_root, answers={'wan.nic': 'nope0'}))
    assert failed
    assert result['rc'] == 2 and result['rolled_back'] is False
    assert result['exit_meaning'] == 'bad usage or bad input; nothing was changed'
    assert result['error']['key'] == 'error.nicNotFound' and result['error']['params']['nic'] == 'nope0'
    assert 'nope0' in result['error']['text'] and 'nope0' in result['msg']
    assert tree_fingerprint(demo_root, exclude_journal=False) == before
    assert_schemas(schemas, calls)


def test_a_wrong_type_names_the_answers_file(xnw, cli, schemas, demo_root, monkeypatch, tmp_path):
    result, failed, calls = run_module(xnw, monkeypatch, tmp_path, args_for(demo_root, answers={'guests': 'web1'}))
    assert failed and result['rc'] == 2
    assert result['error']['key'].startswith('error.answersWrongType')
    assert result['error']['file'].endswith('answers.json'), result['error']
    assert_schemas(schemas, calls)


def test_a_broken_config_on_the_dom0_is_named_by_file_and_line(xnw, cli, schemas, demo_root, monkeypatch, tmp_path):
    guest = os.path.join(demo_root, 'etc/xen/web1.cfg')
    with open(guest) as handle:
        line = len(handle.read().splitlines()) + 1
    with open(guest, 'a') as handle:
        handle.write('vif = [ "bridge=virbr0"\n')
    result, failed, calls = run_module(xnw, monkeypatch, tmp_path, args_for(demo_root))
    assert failed and result['rc'] == 2
    assert result['error']['key'] == 'error.configSyntax.unbalancedBracket'
    assert (result['error']['file'], result['error']['line']) == ('/etc/xen/web1.cfg', line)
    assert '/etc/xen/web1.cfg, line %d' % line in result['msg']
    assert_schemas(schemas, calls)


@pytest.mark.parametrize('code, rolled_back, meaning', [
    (1, True, 'a step failed; the wizard rolled the dom0 back'),
    (3, True, 'rolled back: connectivity was lost or the change was not confirmed in time'),
    (4, False, 'the rollback itself failed; see the journal'),
    (130, False, 'interrupted'),
])
def test_exit_codes_are_failures_with_their_meaning(xnw, schemas, monkeypatch, tmp_path, code, rolled_back, meaning):
    fake = fake_apply_exit(code, 'error.sample', 'it went wrong')
    result, failed, calls = run_module(xnw, monkeypatch, tmp_path, args_for('/srv/x'), fake=fake)
    assert failed
    assert result['rc'] == code and result['rolled_back'] is rolled_back
    assert result['exit_meaning'] == meaning
    assert result['msg'] == 'xen-net-wizard exited %d (%s): it went wrong' % (code, meaning)
    assert result['error']['key'] == 'error.sample'
    assert_schemas(schemas, calls)


def test_an_error_printed_only_as_text_is_still_reported(xnw, monkeypatch, tmp_path):
    # A wizard older than the --json error object prints its message on stderr only.
    def fake(argv):
        return 2, '', 'error: wan.nic: there is no NIC "x"\nNothing was changed.\n'
    result, failed, _ = run_module(xnw, monkeypatch, tmp_path, args_for('/srv/x'), fake=fake)
    assert failed and result['error'] == {'text': 'error: wan.nic: there is no NIC "x"'}


def test_a_newer_schema_version_is_refused(xnw, monkeypatch, tmp_path):
    def fake(argv):
        return 0, json.dumps(dict(PLAN_WITH_A_STEP, schemaVersion=2)), ''
    result, failed, _ = run_module(xnw, monkeypatch, tmp_path, args_for('/srv/x'), fake=fake)
    assert failed and 'schema version 2' in result['msg']


def test_rolled_back_restores_the_tree_and_then_changes_nothing(xnw, cli, schemas, demo_root, monkeypatch, tmp_path):
    original = tree_fingerprint(demo_root)
    applied, failed, _ = run_module(xnw, monkeypatch, tmp_path, args_for(demo_root))
    assert not failed and applied['changed']
    checked, failed, calls = run_module(xnw, monkeypatch, tmp_path, {'state': 'rolled_back', 'root': demo_root, 'executable': CLI}, check_mode=True)
    assert not failed and checked['changed'] is True and checked['run_id'] == applied['run_id']
    assert [c.command for c in calls] == ['rollback'] and '--list' in calls[0].argv
    assert tree_fingerprint(demo_root) != original, 'check mode rolled nothing back'
    back, failed, calls = run_module(xnw, monkeypatch, tmp_path, {'state': 'rolled_back', 'root': demo_root, 'executable': CLI})
    assert not failed, back
    assert back['changed'] is True and back['run_id'] == applied['run_id']
    assert '/etc/network/interfaces' in back['restored']
    assert tree_fingerprint(demo_root) == original
    assert_schemas(schemas, calls)
    again, failed, calls = run_module(xnw, monkeypatch, tmp_path, {'state': 'rolled_back', 'root': demo_root, 'executable': CLI})
    assert not failed and again['changed'] is False and 'rolled-back' in again['msg']
    assert_schemas(schemas, calls)


def test_rolled_back_with_no_run_changes_nothing(xnw, cli, schemas, demo_root, monkeypatch, tmp_path):
    result, failed, calls = run_module(xnw, monkeypatch, tmp_path, {'state': 'rolled_back', 'root': demo_root, 'executable': CLI})
    assert not failed and result['changed'] is False and result['msg'] == 'no run to roll back'
    assert_schemas(schemas, calls)


def test_present_needs_a_recipe(xnw, monkeypatch, tmp_path):
    result, failed, calls = run_module(xnw, monkeypatch, tmp_path, {'root': '/srv/x', 'executable': CLI})
    assert failed and 'recipe' in result['msg'] and calls == []


def test_a_negative_confirm_timeout_is_refused(xnw, monkeypatch, tmp_path):
    result, failed, calls = run_module(xnw, monkeypatch, tmp_path, args_for('/srv/x', confirm_timeout=-1))
    assert failed and 'confirm_timeout' in result['msg'] and calls == []


def test_rolled_back_looks_at_the_last_run_only(xnw, monkeypatch, tmp_path):
    # An older applied run stays: `state: rolled_back` undoes the last run, it does not walk back in time.
    runs = [{'id': '20261129-100000-aaaa', 'status': 'applied'}, {'id': '20261129-110000-bbbb', 'status': 'rolled-back'}]

    def fake(argv):
        assert '--list' in argv, argv
        return 0, json.dumps({'schemaVersion': 1, 'runs': runs}), ''
    result, failed, calls = run_module(xnw, monkeypatch, tmp_path, {'state': 'rolled_back', 'root': '/srv/x', 'executable': CLI}, fake=fake)
    assert not failed and result['changed'] is False and result['msg'] == 'run 20261129-110000-bbbb is rolled-back'
