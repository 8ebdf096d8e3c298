# Fixtures of the collection's tests (unit/ and fleet/); the helpers themselves are in support.py.
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import importlib.util
import os
import shutil
import subprocess
import tempfile

import pytest

from support import CLI, COLLECTION, PROJECT, SCHEMAS, Schemas


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


@pytest.fixture(scope='session')
def schemas():
    if not os.path.isdir(SCHEMAS):
        pytest.fail('the CLI publishes no schemas/ directory')
    return Schemas(SCHEMAS)
