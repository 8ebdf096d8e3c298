// The network backends by id: adding one is its file and one line here.
import type { Backend } from '../model/host.js';
import type { PortedBridge } from '../model/topology.js';
import type { ReadFile } from '../model/plan.js';
import type { InterfacesFile } from '../parse/interfaces.js';
import { InputError } from '../errors.js';
import type { BackendRender, ShadowRename, VlanLayout } from './types.js';
import { renderIfupdown } from './ifupdown.js';
import { renderIfcfg } from './ifcfg.js';
import { renderShadowIfupdown } from './ifupdownShadow.js';
import { renderShadowIfcfg } from './ifcfgShadow.js';
import { renderVlanInterfaces } from './ifupdownVlan.js';
import { renderVlanIfcfg } from './ifcfgVlan.js';

export function renderBackend(backend: Backend, bridge: PortedBridge, interfaces: InterfacesFile[], read: ReadFile): BackendRender {
  switch (backend) {
    case 'ifupdown': return renderIfupdown(bridge, interfaces, read);
    case 'ifcfg': return renderIfcfg(bridge, read);
    default: throw new InputError('error.backendUnsupported', { backend });
  }
}

/** Recipe shadow-bridge: the rename at boot and the bridge with the NIC's name, in the backend's form. */
export function renderShadow(backend: Backend, s: ShadowRename, interfaces: InterfacesFile[], read: ReadFile): BackendRender {
  switch (backend) {
    case 'ifupdown': return renderShadowIfupdown(s, interfaces, read);
    case 'ifcfg': return renderShadowIfcfg(s, read);
    default: throw new InputError('error.backendUnsupported', { backend });
  }
}

/** Recipe vlan-bridges: the VLAN devices and their bridges, in the backend's (and era's) form. */
export function renderVlans(backend: Backend, layout: VlanLayout, interfaces: InterfacesFile[], read: ReadFile, era: 'xend' | 'xl'): BackendRender {
  switch (backend) {
    case 'ifupdown': return renderVlanInterfaces(layout, interfaces, read, era);
    case 'ifcfg': return renderVlanIfcfg(layout, read);
    default: throw new InputError('error.backendUnsupported', { backend });
  }
}
