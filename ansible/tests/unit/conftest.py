# Shared by the module's unit tests: the module loaded from its file, the real CLI of this
# checkout run on temp copies of the fixture dom0s, and the CLI's published JSON Schemas.
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import importlib.util
import json
import os
import shutil
import subprocess
import tempfile

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
COLLECTION = os.path.abspath(os.path.join(HERE, '..', '..'))
PROJECT = os.path.dirname(COLLECTION)
CLI = os.path.join(PROJECT, 'bin', 'xen-net-wizard.js')
SCHEMAS = os.path.join(PROJECT, 'schemas')


def load_module():
    path = os.path.join(COLLECTION, 'plugins', 'modules', 'xen_net_wizard.py')
    spec = importlib.util.spec_from_file_location('xen_net_wizard_module', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope='session')
def xnw():
    return load_module()


class Cli(object):
    """The built CLI of this checkout, run the way the module runs it."""

    def run(self, *args):
        env = dict(os.environ, NO_COLOR='1', LANG='C.UTF-8')
        proc = subprocess.run(['node', CLI] + list(args), capture_output=True, text=True, env=env, timeout=120)
        return proc.returncode, proc.stdout, proc.stderr


@pytest.fixture(scope='session')
def cli():
    if not os.path.exists(os.path.join(PROJECT, 'dist', 'src', 'main.js')):
        pytest.fail('the CLI is not built: run `npm run build` first (npm test does)')
    return Cli()


@pytest.fixture
def demo_root():
    """A fresh copy of the bundled demo dom0 (Debian 12, xl, ifupdown)."""
    tmp = tempfile.mkdtemp(prefix='xnw-pytest-')
    root = os.path.join(tmp, 'root')
    shutil.copytree(os.path.join(PROJECT, 'demo', 'root'), root, symlinks=True)
    yield root
    shutil.rmtree(tmp, ignore_errors=True)


class Schemas(object):
    """schemas/*.schema.json of the CLI (draft 2020-12), checked with python3-jsonschema."""

    def __init__(self, directory):
        import jsonschema
        self.jsonschema = jsonschema
        self.by_name = {}
        for name in sorted(os.listdir(directory)):
            if name.endswith('.schema.json'):
                with open(os.path.join(directory, name)) as handle:
                    self.by_name[name[:-len('.schema.json')]] = json.load(handle)

    def validate(self, name, document):
        schema = self.by_name[name]
        validator = self.jsonschema.validators.validator_for(schema)
        validator.check_schema(schema)
        errors = sorted(validator(schema).iter_errors(document), key=lambda e: list(e.path))
        assert not errors, '%s: %s' % (name, '; '.join('%s at %s' % (e.message, list(e.path)) for e in errors))


@pytest.fixture(scope='session')
def schemas():
    if not os.path.isdir(SCHEMAS):
        pytest.fail('the CLI publishes no schemas/ directory')
    return Schemas(SCHEMAS)


def tree_fingerprint(root, exclude_journal=True):
    """path -> sha256 and mode (files), link target (symlinks), mode (dirs); the wizard's journal left out."""
    import hashlib
    prints = {}
    for directory, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(dirs + files):
            full = os.path.join(directory, name)
            rel = os.path.relpath(full, root)
            # The journal stays after a rollback (`rollback --list` reads it), with the parents it made.
            if exclude_journal and (rel.startswith('var/lib/xen-net-wizard') or rel in ('var', 'var/lib')):
                continue
            st = os.lstat(full)
            mode = oct(st.st_mode & 0o7777)
            if os.path.islink(full):
                prints[rel] = '-> ' + os.readlink(full)
            elif os.path.isdir(full):
                prints[rel] = 'dir ' + mode
            else:
                with open(full, 'rb') as handle:
                    prints[rel] = hashlib.sha256(handle.read()).hexdigest() + ' ' + mode
    return prints
