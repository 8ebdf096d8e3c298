# Runs the module's main() in this process the way Ansible does (arguments through
# _ANSIBLE_ARGS, exit_json/fail_json caught), and records what the wizard printed for each call.
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

from ansible.module_utils import basic
from ansible.module_utils.common.text.converters import to_bytes


class ModuleExit(Exception):
    def __init__(self, result, failed):
        super(ModuleExit, self).__init__(result)
        self.result = result
        self.failed = failed


class Call(object):
    def __init__(self, argv, rc, stdout, stderr):
        self.argv = argv
        self.rc = rc
        self.stdout = stdout
        self.stderr = stderr

    @property
    def command(self):
        """The wizard's command word (plan, apply, rollback) in the argv the module built."""
        return next(word for word in self.argv[1:] if not word.startswith('-') and word in ('plan', 'apply', 'rollback'))

    @property
    def json(self):
        return json.loads(self.stdout)


def run_module(xnw, monkeypatch, tmp_path, args, check_mode=False, diff=False, fake=None):
    """main() with args; returns (result, failed, calls). fake(argv) -> (rc, out, err) replaces the CLI."""
    remote_tmp = tmp_path / 'remote-tmp'
    remote_tmp.mkdir(exist_ok=True)
    payload = dict(args, _ansible_check_mode=check_mode, _ansible_diff=diff,
                   _ansible_remote_tmp=str(remote_tmp), _ansible_keep_remote_files=False)
    monkeypatch.setattr(basic, '_ANSIBLE_ARGS', to_bytes(json.dumps({'ANSIBLE_MODULE_ARGS': payload})))
    monkeypatch.setattr(basic, '_ANSIBLE_PROFILE', 'legacy', raising=False)
    calls = []
    real_run = basic.AnsibleModule.run_command

    def recording_run(self, argv, *rest, **kwargs):
        if fake is not None:
            rc, out, err = fake(list(argv))
        else:
            rc, out, err = real_run(self, argv, *rest, **kwargs)
        calls.append(Call(list(argv), rc, out, err))
        return rc, out, err

    def exit_json(self, **result):
        raise ModuleExit(result, False)

    def fail_json(self, **result):
        raise ModuleExit(result, True)

    monkeypatch.setattr(basic.AnsibleModule, 'run_command', recording_run)
    monkeypatch.setattr(basic.AnsibleModule, 'exit_json', exit_json)
    monkeypatch.setattr(basic.AnsibleModule, 'fail_json', fail_json)
    try:
        xnw.main()
    except ModuleExit as done:
        return done.result, done.failed, calls
    raise AssertionError('the module returned without exit_json or fail_json')
