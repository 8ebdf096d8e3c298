// The answers of a run (contract): question id → value, like debconf preseeding. The type every
// layer shares; reading, checking and writing the file is src/plan/answersFile.ts.
import type { Backend } from './host.js';

export interface Answers {
  recipe?: string;
  profile?: 'xend' | 'xl';
  backend?: Exclude<Backend, 'unknown'>;
  'wan.nic'?: string;
  'wan.bridge'?: string;
  guests?: string[];
  /** guest name (first moved vif) or "name#N" (vif N) → MAC or "auto"; or "auto" for all. */
  macs?: Record<string, string> | 'auto';
  antispoof?: boolean;
  'libvirt.disableDefault'?: boolean;
  /** The other recipes' ids (their Question lists say which, with their types). */
  [id: string]: unknown;
}
