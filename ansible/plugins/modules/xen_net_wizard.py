#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, xen-net-wizard contributors
# MIT License (see the project's package.json); SPDX-License-Identifier: MIT

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: xen_net_wizard
short_description: Configure a Xen dom0's network with a xen-net-wizard recipe
version_added: "1.0.0"
description:
  - Runs the C(xen-net-wizard) command line (installed on the dom0, for example by the role
    C(xen_net_wizard.fleet.dom0)) with C(--json) and reports its outcome the Ansible way.
  - With I(state=present) the module computes the recipe's plan (C(plan --json)) and applies it
    (C(apply --yes --json)). It reports C(changed) only when the apply ran steps; once the dom0 is
    configured the plan is empty and a second run changes nothing. The apply is given the plan's answers
    (C(--save-answers), with each generated MAC), so it does what the plan and its diff showed.
  - In check mode only C(plan --json) runs; C(changed) says whether the plan has steps.
  - With C(--diff) every file the plan edits is shown as its content before and after.
  - With I(state=rolled_back) the last run of the wizard on that dom0 is rolled back
    (C(rollback --json)); when it is already rolled back (or there is none) nothing changes.
  - A failure carries the wizard's error (message, key, file, line where it has them), its exit
    code and what that code means. Exit 1 (a step failed) and exit 3 (connectivity lost or the
    change not confirmed in time) are reported as failed with I(rolled_back=true); the wizard has
    already put the dom0 back as it was.
options:
  recipe:
    description:
      - The recipe id, for example C(single-bridge), C(internal-l2), C(internal-dummy),
        C(routed-lan) or C(bond-bridge) (C(xen-net-wizard recipes) lists them).
      - Required with I(state=present). It overrides a C(recipe) key in I(answers).
    type: str
  answers:
    description:
      - "The answers, as in an answers file of the wizard (question id to value), for example
        C({'wan.nic': 'eth0', 'guests': ['web1'], 'macs': 'auto'})."
      - Questions not answered take the wizard's defaults (detection or the recipe's own).
    type: dict
    default: {}
  root:
    description:
      - The root of the dom0's filesystem. C(/) is the dom0 itself; any other directory is a
        complete host description the wizard edits (offline by default, see I(live)).
    type: path
    default: /
  live:
    description:
      - C(true) runs the plan's commands too (C(--live)); C(false) only edits the files and lists
        the commands (C(--offline)).
      - Unset, the wizard decides; a run on C(/) is live, a run on another I(root) is offline.
      - The wizard refuses C(--live) with a I(root) other than C(/) in the machine's own network
        namespace, so a typo cannot reconfigure the machine that runs it.
    type: bool
  confirm_timeout:
    description:
      - Seconds a live apply waits for connectivity to be confirmed before it rolls back on its own
        (C(--confirm-timeout)). Unset, the wizard's default (120) applies.
    type: int
  state:
    description:
      - C(present) applies the recipe; C(rolled_back) rolls back the last run.
    type: str
    choices: [present, rolled_back]
    default: present
  executable:
    description:
      - Path of the C(xen-net-wizard) command. Unset, it is looked up on C(PATH).
    type: path
notes:
  - Supports check mode and diff mode.
  - Needs C(node) (20.11 or later) and the C(xen-net-wizard) package on the dom0.
requirements:
  - xen-net-wizard (npm package) on the managed host
author:
  - xen-net-wizard contributors (@xen-net-wizard)
'''

EXAMPLES = r'''
- name: Put the guests on a real bridge (seed 000's single-bridge recipe)
  xen_net_wizard.fleet.xen_net_wizard:
    recipe: single-bridge
    answers:
      wan.nic: eth0
      guests: [web1, db1]
      macs: auto

- name: A dom0 described by a directory, edited offline (commands listed, not run)
  xen_net_wizard.fleet.xen_net_wizard:
    recipe: internal-l2
    root: /srv/dom0-images/xen07
    answers:
      internal.address: 10.200.0.1/24

- name: Live, with a short confirmation window
  xen_net_wizard.fleet.xen_net_wizard:
    recipe: bond-bridge
    live: true
    confirm_timeout: 60
    answers:
      bond.mode: active-backup

- name: Undo the last run
  xen_net_wizard.fleet.xen_net_wizard:
    state: rolled_back
'''

RETURN = r'''
plan:
  description: The plan the wizard computed (C(plan --json)); its C(steps) are empty when the dom0 is already configured.
  returned: state is present and the plan could be made
  type: dict
  sample: {"recipe": "single-bridge", "profile": "xl", "backend": "ifupdown", "method": "backend-restart", "steps": []}
run_id:
  description: The id of the run the wizard applied or rolled back (C(xen-net-wizard rollback --list)).
  returned: changed
  type: str
  sample: 20261129-171602-cc98
journal:
  description: The run's journal directory on the dom0.
  returned: when an apply ran steps
  type: str
  sample: /var/lib/xen-net-wizard/runs/20261129-171602-cc98
listed_commands:
  description: Commands an offline run did not execute and lists for the admin.
  returned: when an apply ran steps
  type: list
  elements: str
  sample: ["ifdown eno1", "ifup xenbr0"]
restored:
  description: Files a rollback put back.
  returned: state is rolled_back and a run was rolled back
  type: list
  elements: str
removed:
  description: Files a rollback removed (the run had created them).
  returned: state is rolled_back and a run was rolled back
  type: list
  elements: str
rc:
  description: The wizard's exit code.
  returned: always
  type: int
  sample: 0
exit_meaning:
  description: What the exit code means.
  returned: always
  type: str
  sample: done (or nothing to do)
rolled_back:
  description: Whether the wizard rolled the dom0 back itself (exit 1 or 3).
  returned: failed
  type: bool
error:
  description:
    - The wizard's error object (C(--json) errors), or one made from its message when it printed none.
    - C(key) is the message's stable id, C(params) its values, C(text) the message; C(file) and C(line) point at the input at fault where the wizard names one.
  returned: failed
  type: dict
  sample: {"key": "error.answersBadChoice", "text": "...", "exitCode": 2, "file": "/tmp/answers.json"}
stderr:
  description: What the wizard printed on standard error.
  returned: failed
  type: str
'''

import json
import os

from ansible.module_utils.basic import AnsibleModule

# The wizard's exit codes (README "Commands"; DESIGN.md), in the words a playbook reader needs.
EXIT_MEANINGS = {
    0: 'done (or nothing to do)',
    1: 'a step failed; the wizard rolled the dom0 back',
    2: 'bad usage or bad input; nothing was changed',
    3: 'rolled back: connectivity was lost or the change was not confirmed in time',
    4: 'the rollback itself failed; see the journal',
    130: 'interrupted',
}
ROLLED_BACK_CODES = (1, 3)
# The version of the wizard's --json documents (schemas/*.schema.json) this module reads.
SCHEMA_VERSION = 1
# A run whose rollback is still to do: finished and applied, half-undone, or left unfinished (killed).
UNDOABLE = ('applied', 'rollback-failed', 'applying', 'confirming', 'rolling-back')


def exit_meaning(rc):
    return EXIT_MEANINGS.get(rc, 'unexpected exit code %d' % rc)


def parse_json(text):
    """The JSON document on stdout, or None when there is none (empty, or text)."""
    text = (text or '').strip()
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def error_object(stdout, stderr):
    """The wizard's --json error object (key, params, text, exitCode); from its stderr when it printed none."""
    doc = parse_json(stdout)
    if isinstance(doc, dict) and isinstance(doc.get('error'), dict):
        error = dict(doc['error'])
    else:
        lines = [line for line in (stderr or '').splitlines() if line.strip()]
        error = {'text': lines[0] if lines else ''}
    # The input at fault, where the message names one (an answers file, a config line).
    params = error.get('params') if isinstance(error.get('params'), dict) else {}
    for where in ('file', 'line'):
        if where in params and where not in error:
            error[where] = params[where]
    return error


def failure(rc, stdout, stderr):
    """The fail_json arguments for a non-zero exit of the wizard."""
    error = error_object(stdout, stderr)
    meaning = exit_meaning(rc)
    message = error.get('text') or meaning
    result = {
        'msg': 'xen-net-wizard exited %d (%s): %s' % (rc, meaning, message),
        'rc': rc,
        'exit_meaning': meaning,
        'error': error,
        'stderr': stderr,
        'rolled_back': rc in ROLLED_BACK_CODES,
    }
    return result


def file_diffs(plan):
    """Ansible's diff (a list of before/after per file) from the plan's file steps."""
    diffs = []
    for step in plan.get('steps', []):
        edited = step.get('file')
        if not edited:
            continue
        path = edited['path']
        diffs.append({
            'before_header': path if edited.get('before') is not None else '%s (absent)' % path,
            'after_header': path if edited.get('after') is not None else '%s (removed)' % path,
            'before': edited.get('before') or '',
            'after': edited.get('after') or '',
        })
    return diffs


def base_argv(cli, params):
    return [cli, '--root', params['root'], '--json', '--no-color']


def apply_flags(params):
    flags = []
    if params['live'] is True:
        flags.append('--live')
    elif params['live'] is False:
        flags.append('--offline')
    if params['confirm_timeout'] is not None:
        flags.extend(['--confirm-timeout', str(params['confirm_timeout'])])
    return flags


def answers_document(params):
    answers = dict(params['answers'] or {})
    answers['recipe'] = params['recipe']
    return answers


class Wizard(object):
    """The CLI seen from the module: one call per command, JSON in, a failure ends the module."""

    def __init__(self, module, cli):
        self.module = module
        self.cli = cli

    def run(self, args):
        argv = base_argv(self.cli, self.module.params) + args
        # LANG=C.UTF-8 keeps the wizard's own messages in English, the language of Ansible's output.
        rc, stdout, stderr = self.module.run_command(argv, environ_update={'NO_COLOR': '1', 'LANG': 'C.UTF-8'})
        if rc != 0:
            self.module.fail_json(**failure(rc, stdout, stderr))
        doc = parse_json(stdout)
        if doc is None:
            self.module.fail_json(msg='xen-net-wizard printed no JSON for %s' % args[0], rc=rc,
                                  exit_meaning=exit_meaning(rc), stdout=stdout, stderr=stderr)
        version = doc.get('schemaVersion', SCHEMA_VERSION) if isinstance(doc, dict) else SCHEMA_VERSION
        if version != SCHEMA_VERSION:
            self.module.fail_json(msg='xen-net-wizard speaks JSON schema version %s; this module reads version %d'
                                  % (version, SCHEMA_VERSION), rc=rc, exit_meaning=exit_meaning(rc))
        return doc


def present(module, wizard):
    params = module.params
    answers_file = os.path.join(module.tmpdir, 'answers.json')
    with open(answers_file, 'w') as handle:
        json.dump(answers_document(params), handle)
    # The plan's answers, saved with every default and each generated MAC, are what the apply gets:
    # it then does what the plan (and the diff) showed, not a new draw of "auto" MACs.
    planned_answers = os.path.join(module.tmpdir, 'planned-answers.json')
    plan = wizard.run(['plan', '--answers', answers_file, '--save-answers', planned_answers] + apply_flags(params))
    result = {'plan': plan, 'rc': 0, 'exit_meaning': exit_meaning(0), 'changed': bool(plan.get('steps'))}
    if module._diff:
        result['diff'] = file_diffs(plan)
    if module.check_mode or not result['changed']:
        return result
    outcome = wizard.run(['apply', '--yes', '--answers', planned_answers] + apply_flags(params))
    result['changed'] = outcome.get('status') == 'applied'
    if result['changed']:
        result['run_id'] = outcome.get('runId')
        result['journal'] = outcome.get('journal')
        result['listed_commands'] = outcome.get('listedCommands', [])
    return result


def last_run(listing):
    """The newest run of `rollback --list --json`, which lists them by start time, oldest first."""
    runs = listing.get('runs', []) if isinstance(listing, dict) else listing
    return runs[-1] if runs else None


def rolled_back(module, wizard):
    run = last_run(wizard.run(['rollback', '--list']))
    result = {'rc': 0, 'exit_meaning': exit_meaning(0), 'changed': False}
    if run is None or run.get('status') not in UNDOABLE:
        result['msg'] = 'no run to roll back' if run is None else 'run %s is %s' % (run.get('id'), run.get('status'))
        return result
    result['changed'] = True
    result['run_id'] = run.get('id')
    if module.check_mode:
        return result
    # A finished run is named; an unfinished one is what a bare `rollback` recovers first.
    args = ['rollback', run['id']] if run.get('status') in ('applied', 'rollback-failed') else ['rollback']
    outcome = wizard.run(args)
    result['restored'] = outcome.get('restored', [])
    result['removed'] = outcome.get('removed', [])
    return result


def main():
    module = AnsibleModule(
        argument_spec=dict(
            recipe=dict(type='str'),
            answers=dict(type='dict', default={}),
            root=dict(type='path', default='/'),
            live=dict(type='bool'),
            confirm_timeout=dict(type='int'),
            state=dict(type='str', default='present', choices=['present', 'rolled_back']),
            executable=dict(type='path'),
        ),
        required_if=[('state', 'present', ['recipe'])],
        supports_check_mode=True,
    )
    params = module.params
    if params['confirm_timeout'] is not None and params['confirm_timeout'] < 0:
        module.fail_json(msg='confirm_timeout must be 0 or more seconds')
    cli = params['executable'] or module.get_bin_path('xen-net-wizard', required=True)
    wizard = Wizard(module, cli)
    result = present(module, wizard) if params['state'] == 'present' else rolled_back(module, wizard)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
