// The persistence seam: what a network backend (ifupdown, ifcfg, …) returns for a Topology's
// bridges and bonds — the files it writes and the commands that bring the result up live.
import type { FileChange, Step } from '../model/plan.js';

export interface BridgeMigration {
  nic: string;
  bridge: string;
  /** The bridge's port when it is not the NIC whose addressing moves (a bond over the NIC). */
  port?: string;
  /** Stanzas written just before the bridge's (the bond it is built over). */
  prelude?: string[];
  /** The recipe named in the block's comment. */
  recipe?: string;
}

export interface BackendRender {
  files: FileChange[];
  /** Commands around the edit, with their undo: take the NIC down before, bring the bridge up after. */
  commands: Pick<Step, 'argv' | 'undo' | 'phase' | 'id'>[];
}

