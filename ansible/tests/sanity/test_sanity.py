# Static checks of the collection with Debian's tools, offline:
# - `ansible-test sanity` for every test that runs without PyPI. The others (ansible-doc, import,
#   pep8, pylint, runtime-metadata, validate-modules, yamllint) build a virtualenv and pip-install
#   pinned requirements, which this machine cannot reach; they are listed in OFFLINE_IMPOSSIBLE.
# - ansible-lint (Debian's package) on the role, the playbook and the metadata: yamllint's rules,
#   FQCNs, names, galaxy.yml, and the playbook's syntax check by ansible-playbook itself.
# - ansible-doc renders the module's DOCUMENTATION/EXAMPLES/RETURN (what the ansible-doc sanity
#   test checks).
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import re
import shutil
import subprocess
import tempfile

import pytest

from support import COLLECTION, PROJECT

OFFLINE_IMPOSSIBLE = ['ansible-doc', 'import', 'pep8', 'pylint', 'runtime-metadata', 'validate-modules', 'yamllint']


def tool(name):
    path = shutil.which(name)
    if not path:
        pytest.fail('%s is not installed (scripts/setup-test-deps.sh installs it from Debian)' % name)
    return path


@pytest.fixture(scope='module')
def installed():
    """The collection at ansible_collections/xen_net_wizard/fleet, where ansible-test wants it."""
    work = tempfile.mkdtemp(prefix='xnw-sanity-')
    tree = os.path.join(work, 'ansible_collections', 'xen_net_wizard', 'fleet')
    shutil.copytree(COLLECTION, tree, ignore=shutil.ignore_patterns('__pycache__', '*.pyc', 'output', '.pytest_cache'))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=work, ANSIBLE_NOCOLOR='1', NO_COLOR='1')
    yield tree, env
    shutil.rmtree(work, ignore_errors=True)


def test_the_tests_left_out_are_exactly_those_that_need_pypi(installed):
    tree, env = installed
    listed = subprocess.run([tool('ansible-test'), 'sanity', '--list-tests'], cwd=tree, env=env, capture_output=True, text=True)
    assert listed.returncode == 0, listed.stderr
    names = listed.stdout.split()
    assert set(OFFLINE_IMPOSSIBLE) <= set(names)
    assert len(names) - len(OFFLINE_IMPOSSIBLE) >= 20, names


def test_ansible_test_sanity_passes_offline(installed):
    tree, env = installed
    skips = []
    for name in OFFLINE_IMPOSSIBLE:
        skips += ['--skip-test', name]
    sanity = subprocess.run([tool('ansible-test'), 'sanity', '--python', '3.11'] + skips, cwd=tree, env=env,
                            capture_output=True, text=True, timeout=300)
    assert sanity.returncode == 0, sanity.stdout[-4000:] + sanity.stderr[-4000:]
    assert sanity.stdout.count('Running sanity test') >= 20, sanity.stdout


def test_ansible_lint_passes(installed):
    tree, env = installed
    lint = subprocess.run([tool('ansible-lint'), '--offline', '--nocolor', '-p', 'roles/dom0', 'tests/fleet/site.yml',
                           'galaxy.yml', 'meta/runtime.yml'], cwd=tree, env=env, capture_output=True, text=True, timeout=300)
    assert lint.returncode == 0, lint.stdout + lint.stderr


def test_ansible_doc_renders_the_module(installed):
    _, env = installed
    doc = subprocess.run([tool('ansible-doc'), 'xen_net_wizard.fleet.xen_net_wizard'], env=env, capture_output=True, text=True)
    assert doc.returncode == 0, doc.stderr
    for part in ('OPTIONS', 'EXAMPLES', 'RETURN VALUES', 'confirm_timeout', 'rolled_back', 'exit_meaning'):
        assert part in doc.stdout, part
    listed = subprocess.run([tool('ansible-doc'), '-t', 'role', '-l', 'xen_net_wizard.fleet'], env=env, capture_output=True, text=True)
    assert listed.returncode == 0 and 'xen_net_wizard.fleet.dom0' in listed.stdout, listed.stdout + listed.stderr


def readme_block(title):
    """The fenced yaml block that follows the line `title` in the README's "Fleet" section."""
    with open(os.path.join(PROJECT, 'README.md')) as handle:
        fleet = handle.read().split('## Fleet', 1)[1]
    return re.search(re.escape(title) + r'\n\n```yaml\n(.*?)```', fleet, re.S).group(1)


def test_the_readme_playbook_is_the_tested_one():
    with open(os.path.join(COLLECTION, 'tests', 'fleet', 'site.yml')) as handle:
        tested = [line for line in handle.read().splitlines() if line and line != '---' and not line.startswith('#')]
    assert readme_block('`site.yml`:').splitlines() == tested


def test_the_readme_inventory_parses_and_its_answers_follow_the_schema(installed, schemas, tmp_path):
    _, env = installed
    inventory = tmp_path / 'inventory.yml'
    inventory.write_text(readme_block('`inventory.yml`:'))
    listed = subprocess.run([tool('ansible-inventory'), '-i', str(inventory), '--list'], env=env, capture_output=True, text=True)
    assert listed.returncode == 0 and 'WARNING' not in listed.stderr, listed.stderr
    hostvars = json.loads(listed.stdout)['_meta']['hostvars']
    assert sorted(hostvars) == ['xen01.example.lan', 'xen02.example.lan', 'xen03.example.lan']
    assert hostvars['xen01.example.lan']['xen_net_wizard_answers'] == {'wan.nic': 'eth0', 'guests': ['web1', 'db1'], 'macs': 'auto'}
    for host in hostvars.values():
        assert host['xen_net_wizard_version'] == '0.1.0'
        schemas.validate('answers', dict(host['xen_net_wizard_answers'], recipe=host['xen_net_wizard_recipe']))
