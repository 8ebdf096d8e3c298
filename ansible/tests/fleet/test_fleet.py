# The collection under the real engine: ansible-playbook (Debian's ansible-core) against a fleet of
# dom0s with forks > 1. Each host is `connection: local` with its own root, copied from the fixtures
# the core suites use, so the fleet runs offline on this machine and never touches its network.
# The runs, in order (one playbook each, the results kept for the tests below):
#   install      the role installs the CLI from `npm pack`'s tarball into a temp prefix (one host)
#   check        --check --diff: every host would change, nothing changes, the diff shows the files
#   first        every host changes; the host with a typo in its answers fails alone
#   second       every host: changed=0
#   rolled_back  every tree is back, byte for byte
#   rolled_back  again: changed=0
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import re
import shutil
import subprocess
import tempfile
import time

import pytest

from support import COLLECTION, PROJECT, tree_fingerprint

HERE = os.path.dirname(os.path.abspath(__file__))
BROKEN = 'xen-typo'
FORKS = 4
RECAP = re.compile(r'^(\S+)\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)\s+skipped=(\d+)', re.M)


def ansible_tool(name):
    path = shutil.which(name)
    if not path:
        pytest.fail('%s is not installed (scripts/setup-test-deps.sh installs Debian\'s ansible-core)' % name)
    return path


class Fleet(object):
    def __init__(self, work):
        self.work = work
        self.collections = os.path.join(work, 'collections')
        self.prefix = os.path.join(work, 'npm-prefix')
        made = subprocess.run(['node', '--import', 'tsx', os.path.join(HERE, 'make_fleet.ts'), os.path.join(work, 'hosts')],
                              cwd=PROJECT, capture_output=True, text=True, check=True)
        self.hosts = json.loads(made.stdout)
        self.healthy = sorted(h for h in self.hosts if h != BROKEN)
        self.original = dict((h, tree_fingerprint(self.hosts[h]['root'], exclude_journal=False)) for h in self.hosts)
        self.runs = {}
        self.env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=self.collections, ANSIBLE_NOCOLOR='1',
                        ANSIBLE_LOCAL_TEMP=os.path.join(work, 'ansible-local'),
                        ANSIBLE_REMOTE_TEMP=os.path.join(work, 'ansible-remote'),
                        ANSIBLE_CALLBACKS_ENABLED='ansible.builtin.tree', ANSIBLE_RETRY_FILES_ENABLED='0',
                        ANSIBLE_DEPRECATION_WARNINGS='0', ANSIBLE_PYTHON_INTERPRETER='/usr/bin/python3',
                        # One python per task and host instead of a copied module file: the phase stays short.
                        ANSIBLE_PIPELINING='1')

    def install_collection(self):
        """The collection as users get it: built by ansible-galaxy, installed from the tarball."""
        built = os.path.join(self.work, 'built')
        subprocess.run([ansible_tool('ansible-galaxy'), 'collection', 'build', COLLECTION, '--output-path', built],
                       check=True, capture_output=True, env=self.env)
        tarball = os.path.join(built, os.listdir(built)[0])
        subprocess.run([ansible_tool('ansible-galaxy'), 'collection', 'install', tarball, '-p', self.collections],
                       check=True, capture_output=True, env=self.env)

    def pack_cli(self):
        packed = subprocess.run(['npm', 'pack', '--ignore-scripts', '--json', '--pack-destination', self.work],
                                cwd=PROJECT, check=True, capture_output=True, text=True)
        info = json.loads(packed.stdout[packed.stdout.index('['):])[0]
        return os.path.join(self.work, info['filename']), info['version']

    def write_inventory(self, tarball, version):
        lines = ['all:', '  vars:', '    ansible_connection: local',
                 '    xen_net_wizard_version: %s' % json.dumps(version),
                 '    xen_net_wizard_package: %s' % json.dumps(tarball),
                 '    xen_net_wizard_npm_prefix: %s' % json.dumps(self.prefix),
                 '    xen_net_wizard_npm_args: ["--prefer-offline"]',
                 '  children:', '    dom0s:', '      hosts:']
        for host in sorted(self.hosts):
            spec = self.hosts[host]
            lines += ['        %s:' % host, '          # %s' % spec['scenario'],
                      '          xen_net_wizard_root: %s' % json.dumps(spec['root']),
                      '          xen_net_wizard_recipe: %s' % spec['recipe'],
                      '          xen_net_wizard_answers: %s' % json.dumps(spec['answers'], sort_keys=True)]
        self.inventory = os.path.join(self.work, 'inventory.yml')
        with open(self.inventory, 'w') as handle:
            handle.write('\n'.join(lines) + '\n')

    def play(self, run, *args):
        tree = os.path.join(self.work, 'tree', run)
        env = dict(self.env, ANSIBLE_CALLBACK_TREE_DIR=tree)
        argv = [ansible_tool('ansible-playbook'), '-i', self.inventory, '--forks', str(FORKS),
                os.path.join(HERE, 'site.yml')] + list(args)
        started = time.time()
        proc = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=600)
        seconds = time.time() - started
        recap = dict((m.group(1), dict(zip(('ok', 'changed', 'unreachable', 'failed', 'skipped'), map(int, m.groups()[1:]))))
                     for m in RECAP.finditer(proc.stdout[proc.stdout.rfind('PLAY RECAP'):]))
        results = {}
        for host in recap:
            path = os.path.join(tree, host)
            if os.path.exists(path):
                with open(path) as handle:
                    results[host] = json.load(handle)
        recap_lines = [line for line in proc.stdout[proc.stdout.rfind('PLAY RECAP'):].splitlines() if ' : ' in line]
        self.runs[run] = {'rc': proc.returncode, 'stdout': proc.stdout, 'stderr': proc.stderr, 'recap': recap,
                          'recap_lines': recap_lines, 'results': results,
                          'trees': dict((h, tree_fingerprint(self.hosts[h]['root'], exclude_journal=False)) for h in self.hosts)}
        self.runs[run]['seconds'] = round(seconds, 1)
        print('\n=== ansible-playbook %s (%s) exit %d, %.1f s ===\n%s' % (run, ' '.join(args), proc.returncode, seconds, '\n'.join(recap_lines)))


@pytest.fixture(scope='module')
def fleet():
    work = tempfile.mkdtemp(prefix='xnw-fleet-')
    try:
        fleet = Fleet(work)
        fleet.install_collection()
        fleet.write_inventory(*fleet.pack_cli())
        healthy = ','.join(fleet.healthy)
        fleet.play('install', '--limit', fleet.healthy[0], '--tags', 'install')
        fleet.play('check', '--check', '--diff', '--limit', healthy)
        fleet.play('first')
        fleet.play('second', '--limit', healthy)
        fleet.play('rolled_back', '--limit', healthy, '-e', 'xen_net_wizard_state=rolled_back')
        fleet.play('rolled_back_again', '--limit', healthy, '-e', 'xen_net_wizard_state=rolled_back')
        summary = os.environ.get('XNW_FLEET_RECAP_FILE')
        if summary:
            with open(summary, 'w') as handle:
                json.dump(dict(('%s (%.1f s)' % (run, fleet.runs[run]['seconds']), fleet.runs[run]['recap_lines']) for run in fleet.runs), handle, indent=2)
        yield fleet
    finally:
        shutil.rmtree(work, ignore_errors=True)


# The hosts are known before the fixture runs: the parametrized tests below are one per host and run.
HEALTHY = ['xen-bond-debian12', 'xen-bond-rhel', 'xen-centos5', 'xen-debian12', 'xen-rhel', 'xen-routed']


def without_journal(prints):
    # The journal stays after a rollback (`rollback --list` reads it), with the parents it made.
    return dict((k, v) for k, v in prints.items() if not (k.startswith('var/lib/xen-net-wizard') or k in ('var', 'var/lib')))


def recap_of(fleet, run, host):
    outcome = fleet.runs[run]
    assert host in outcome['recap'], '%s: no recap line for %s\n%s\n%s' % (run, host, outcome['stdout'][-3000:], outcome['stderr'][-2000:])
    return outcome['recap'][host]


def test_the_fleet_is_the_one_described(fleet, schemas):
    assert sorted(fleet.healthy) == HEALTHY
    recipes = set(fleet.hosts[h]['recipe'] for h in HEALTHY)
    assert recipes == set(['single-bridge', 'internal-l2', 'internal-dummy', 'routed-lan', 'bond-bridge'])
    for spec in fleet.hosts.values():
        schemas.validate('answers', dict(spec['answers'], recipe=spec['recipe']))


def test_the_role_installs_the_cli_once(fleet):
    recap = recap_of(fleet, 'install', HEALTHY[0])
    assert fleet.runs['install']['rc'] == 0 and recap['changed'] == 1 and recap['failed'] == 0
    version = subprocess.run([os.path.join(fleet.prefix, 'bin', 'xen-net-wizard'), '--version'], capture_output=True, text=True)
    with open(os.path.join(PROJECT, 'package.json')) as handle:
        assert version.stdout.strip() == json.load(handle)['version']


@pytest.mark.parametrize('host', HEALTHY)
def test_check_mode_reports_a_change_and_changes_nothing(fleet, host):
    recap = recap_of(fleet, 'check', host)
    assert recap['changed'] == 1 and recap['failed'] == 0
    assert fleet.runs['check']['trees'][host] == fleet.original[host]
    result = fleet.runs['check']['results'][host]
    assert result['changed'] is True and result['plan']['steps']


def shown_diffs(stdout):
    """host -> the files whose diff ansible-playbook printed for it (a diff comes just before its host's result line)."""
    shown, pending = {}, []
    for line in stdout.splitlines():
        header = re.match(r'^--- before: (\S+)', line)
        if header:
            pending.append(header.group(1))
            continue
        result = re.match(r'^(?:changed|ok): \[([^\]]+)\]', line)
        if result:
            if pending:
                shown.setdefault(result.group(1), []).extend(pending)
            pending = []
    return shown


@pytest.mark.parametrize('host', HEALTHY)
def test_diff_shows_each_file_the_plan_edits(fleet, host):
    result = fleet.runs['check']['results'][host]
    files = [s['file']['path'] for s in result['plan']['steps'] if 'file' in s]
    assert files, 'the plan edits files'
    assert shown_diffs(fleet.runs['check']['stdout']).get(host) == files


@pytest.mark.parametrize('host', HEALTHY)
def test_first_run_changes_the_host(fleet, host):
    recap = recap_of(fleet, 'first', host)
    assert recap['changed'] == 1 and recap['failed'] == 0
    assert fleet.runs['first']['trees'][host] != fleet.original[host]
    assert fleet.runs['first']['results'][host]['run_id']


def test_the_host_with_bad_answers_fails_alone(fleet):
    first = fleet.runs['first']
    assert first['rc'] != 0, 'the play reports the failure'
    recap = recap_of(fleet, 'first', BROKEN)
    assert recap['failed'] == 1 and recap['changed'] == 0
    assert [h for h in first['recap'] if first['recap'][h]['failed']] == [BROKEN]
    result = first['results'][BROKEN]
    assert result['rc'] == 2 and result['rolled_back'] is False
    assert 'eth9' in result['error']['text'] and 'eth9' in result['msg']
    assert first['trees'][BROKEN] == fleet.original[BROKEN], 'its tree is untouched'


@pytest.mark.parametrize('host', HEALTHY)
def test_second_run_changes_nothing(fleet, host):
    second = fleet.runs['second']
    assert second['rc'] == 0
    recap = recap_of(fleet, 'second', host)
    assert recap['changed'] == 0 and recap['failed'] == 0
    assert second['trees'][host] == fleet.runs['first']['trees'][host]


@pytest.mark.parametrize('host', HEALTHY)
def test_rolled_back_restores_the_tree_byte_for_byte(fleet, host):
    recap = recap_of(fleet, 'rolled_back', host)
    assert recap['changed'] == 1 and recap['failed'] == 0
    assert without_journal(fleet.runs['rolled_back']['trees'][host]) == without_journal(fleet.original[host])


@pytest.mark.parametrize('host', HEALTHY)
def test_rolled_back_twice_changes_nothing(fleet, host):
    recap = recap_of(fleet, 'rolled_back_again', host)
    assert recap['changed'] == 0 and recap['failed'] == 0
    assert fleet.runs['rolled_back_again']['trees'][host] == fleet.runs['rolled_back']['trees'][host]
