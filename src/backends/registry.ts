// The network backends by id: adding one is its file and one line here.
import type { Backend } from '../model/host.js';
import { InputError } from '../errors.js';
import type { NetworkBackend } from './types.js';
import { ifupdown } from './ifupdown.js';
import { ifcfg } from './ifcfg.js';
import { renderShadowIfupdown } from './ifupdownShadow.js';
import { renderShadowIfcfg } from './ifcfgShadow.js';
import { renderVlanInterfaces } from './ifupdownVlan.js';
import { renderVlanIfcfg } from './ifcfgVlan.js';

// Each backend's core, plus the recipe forms that live in their own files (shadow-bridge's rename
// at boot, vlan-bridges' VLAN devices): same seam, one object per backend.
const BACKENDS: readonly NetworkBackend[] = [
  {
    ...ifupdown,
    shadowBridge: (s, files) => renderShadowIfupdown(s, files.interfaces, files.read),
    vlanBridges: (layout, era, files) => renderVlanInterfaces(layout, files.interfaces, files.read, era),
  },
  {
    ...ifcfg,
    shadowBridge: (s, files) => renderShadowIfcfg(s, files.read),
    vlanBridges: (layout, _era, files) => renderVlanIfcfg(layout, files.read),
  },
];

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
