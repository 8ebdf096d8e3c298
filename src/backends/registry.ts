// The network backends by id: adding one is its file and one line here.
import type { Backend } from '../model/host.js';
import { InputError } from '../errors.js';
import type { NetworkBackend } from './types.js';
import { ifupdown } from './ifupdown.js';
import { ifcfg } from './ifcfg.js';
import { networkd } from './networkd.js';
import { wicked } from './wicked.js';
import { ifupdownNg } from './ifupdownNg.js';
import { netifrc } from './netifrc.js';
import { nixos } from './nixos.js';
import { netplan } from './netplan.js';
import { networkmanager } from './networkmanager.js';

const BACKENDS: readonly NetworkBackend[] = [ifupdown, ifcfg, networkd, wicked, ifupdownNg, netifrc, nixos, netplan, networkmanager];

/** The backend of that id, if there is one. */
export function findBackend(id: Backend): NetworkBackend | undefined {
  return BACKENDS.find((b) => b.id === id);
}

/** The backend of that id; a host whose network manager has none yet is refused (exit 2). */
export function backendFor(id: Backend): NetworkBackend {
  const backend = findBackend(id);
  if (!backend) throw new InputError('error.backendUnsupported', { backend: id });
  return backend;
}
