// The network backends by id: adding one is its file and one line here.
import type { Backend } from '../model/host.js';
import type { PortedBridge } from '../model/topology.js';
import type { ReadFile } from '../model/plan.js';
import type { InterfacesFile } from '../parse/interfaces.js';
import { InputError } from '../errors.js';
import type { BackendRender } from './types.js';
import { renderIfupdown } from './ifupdown.js';
import { renderIfcfg } from './ifcfg.js';

export function renderBackend(backend: Backend, bridge: PortedBridge, interfaces: InterfacesFile[], read: ReadFile): BackendRender {
  switch (backend) {
    case 'ifupdown': return renderIfupdown(bridge, interfaces, read);
    case 'ifcfg': return renderIfcfg(bridge, read);
    default: throw new InputError('error.backendUnsupported', { backend });
  }
}
