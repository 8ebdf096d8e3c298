# Shared by the collection's tests: where the project is, its built CLI, the CLI's published
# JSON Schemas, and a whole-tree fingerprint to prove "nothing changed" and byte-for-byte rollback.
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import hashlib
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
COLLECTION = os.path.dirname(HERE)
PROJECT = os.path.dirname(COLLECTION)
CLI = os.path.join(PROJECT, 'bin', 'xen-net-wizard.js')
SCHEMAS = os.path.join(PROJECT, 'schemas')


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


def tree_fingerprint(root, exclude_journal=True):
    """path -> sha256 and mode (files), link target (symlinks), mode (dirs); the wizard's journal left out."""
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
