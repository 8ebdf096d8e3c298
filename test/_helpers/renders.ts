// Shared by the pure renderer suites (test/render/*Recipes.test.ts): made-up dom0 files to read,
// a render's commands as one readable line each, and an InputError's key and parameters.
import * as assert from 'uvu/assert';
import type { ReadFile } from '../../src/model/plan.js';
import type { PortedBridge } from '../../src/model/topology.js';
import type { BackendRender } from '../../src/backends/types.js';
import { InputError } from '../../src/errors.js';

/** A ReadFile over path → text, every file with the same mode (0640: not the 0644 a new file gets). */
export const reader = (files: Record<string, string>, mode = '0640'): ReadFile => (p) => (p in files ? { text: files[p], mode } : null);

/** "phase: argv (undo: argv) [id]" per command, in order. */
export const argvs = (r: Pick<BackendRender, 'commands'>): string[] =>
  r.commands.map((c) => `${c.phase}: ${c.argv!.join(' ')} (undo: ${c.undo!.join(' ')}) [${c.id}]`);

/** The refusal f throws: fails the test when f returns or throws anything but an InputError. */
export function refusal(f: () => unknown): { key: string; params: Record<string, unknown> } {
  let caught: unknown;
  try {
    f();
  } catch (err) {
    caught = err;
  }
  assert.instance(caught, InputError, 'refused');
  return { key: (caught as InputError).key, params: (caught as InputError).params as Record<string, unknown> };
}

export const bridge = (name: string, nic: string): PortedBridge => ({ name, nic, stp: false, forwardDelay: 0, antispoof: false });
