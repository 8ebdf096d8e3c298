// Recipe routed (seed 002 lines 83–90): Xen's network-route/vif-route instead of a bridge. Each
// guest gets a point-to-point link to dom0 — its vif carries dom0's address (/32) and a host
// route to the guest's static IP (ip= in its config, line 90) — dom0 forwards, and answers ARP
// for the guests on the LAN (proxy ARP) when they share its subnet. No bridge is involved.
import type { Answers } from '../../model/answers.js';
import type { HostFacts } from '../../model/host.js';
import { emptyTopology } from '../../model/topology.js';
import type { Planned, Recipe, RecipeInputs } from '../types.js';
import { InputError } from '../../errors.js';
import { validateIfaceName } from '../shared/ifaceName.js';
import { singleBridgeDefaults } from '../shared/bridgeMove.js';
import { checkNic, detectNicAddress } from '../shared/nicAddress.js';
import { parseInternalAddress } from '../shared/internalNetwork.js';
import { detectedRouteIps, inSubnet, parseRouteIps, routedGuests, type RoutedResolution } from './guests.js';
import { planRouted } from './plan.js';

export const ID = 'routed';
const IP_FORWARD = 'net.ipv4.ip_forward';

export function routedDefaults(host: HostFacts): Answers {
  const single = singleBridgeDefaults(host);
  const guests = host.guests.filter((g) => g.definitions.some((d) => d.vifs.length > 0)).map((g) => g.name);
  return {
    profile: single.profile,
    backend: single.backend,
    'wan.nic': single['wan.nic'],
    guests,
    'route.ips': detectedRouteIps(host, guests),
    'route.proxyArp': true,
  };
}

export function resolveRouted(answers: Answers, inputs: RecipeInputs): RoutedResolution {
  const { host } = inputs;
  const d = routedDefaults(host);
  const pick = <T>(id: string) => (answers[id] ?? d[id]) as T;
  const profile = pick<'xend' | 'xl'>('profile');
  const nic = pick<string>('wan.nic');
  checkNic(host, nic, 'wan.nic');
  const link = host.links.find((l) => l.name === nic);
  if (link?.isBridge) throw new InputError('error.routeNicIsBridge', { nic, id: 'wan.nic' });
  if (link?.master) throw new InputError('error.nicEnslaved', { nic, master: link.master });
  validateIfaceName(nic, 'wan.nic');
  const found = detectNicAddress(nic, inputs.read, inputs.interfaces, inputs.live);
  const nicAddress = found ? parseInternalAddress(found, 'wan.nic') : null;
  const guests = routedGuests(host, answers, pick<string[]>('guests'), nicAddress);
  const topology = emptyTopology(ID, profile, pick('backend'), '');
  // xl runs no network script: what network-route does at xend's start (Xen's own script:
  // ip_forward, proxy_arp on the NIC) is persisted in sysctl.d. Proxy ARP is what lets LAN hosts
  // find a guest that shares their subnet.
  const proxyArp = profile === 'xl' ? pick<boolean>('route.proxyArp') : true;
  topology.sysctls = [{ key: IP_FORWARD, value: '1' }, ...(proxyArp ? [{ key: `net.ipv4.conf.${nic}.proxy_arp`, value: '1' }] : [])];
  const gateway = host.routes.find((r) => r.dst === '0.0.0.0/0' && r.dev === nic)?.gateway ?? null;
  topology.instructions = guests.map((g) => {
    const shared = inSubnet(g.ip, nicAddress);
    return {
      key: shared ? 'instruction.routedGuestShared' : 'instruction.routedGuest',
      params: {
        guest: g.guest, ip: g.ip, prefix: shared ? nicAddress!.prefix : 32,
        gateway: (shared ? gateway : null) ?? nicAddress?.ip ?? '-', dom0: nicAddress?.ip ?? '-',
      },
    };
  });
  return { topology, nic, nicAddress, guests };
}

function planned(answers: Answers, inputs: RecipeInputs): Planned {
  const resolution = resolveRouted(answers, inputs);
  const plan = planRouted(resolution, inputs);
  const { topology } = resolution;
  const resolved: Answers = {
    ...routedDefaults(inputs.host),
    ...answers,
    profile: topology.profile,
    backend: topology.backend as Answers['backend'],
    'wan.nic': resolution.nic,
    guests: resolution.guests.map((g) => g.guest),
    'route.ips': resolution.guests.map((g) => `${g.guest}=${g.ip}`).join(','),
    'route.proxyArp': topology.sysctls.some((s) => s.key.endsWith('.proxy_arp')),
  };
  return { plan, topology, answers: resolved };
}

export const routed: Recipe = {
  id: ID,
  source: 'seed 002: 83–90',
  questions: [
    { id: 'wan.nic', kind: 'string', prompt: 'nic', message: 'q.route.nic' },
    { id: 'guests', kind: 'string[]', prompt: 'guests', message: 'q.route.guests' },
    { id: 'route.ips', kind: 'string', prompt: 'input', validate: (v) => { parseRouteIps(v); } },
    { id: 'route.proxyArp', kind: 'boolean', prompt: 'confirm', profile: 'xl' },
  ],
  defaults: routedDefaults,
  plan: planned,
};
