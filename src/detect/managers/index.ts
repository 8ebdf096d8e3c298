// Which network manager brings the NIC up at boot: every probe reads the root, then the decision.
// An active manager (enabled unit, runlevel link, installed generator) whose files name the NIC
// wins; two of them naming it is a question for the admin (answer id `backend`), never a guess.
// A root with no boot evidence at all (a fixture, an old dom0 copied without its units) is decided
// by its files, in the order a Xen dom0 of each era most likely used them.
import type { Backend } from '../../model/host.js';
import type { RootFs } from '../../system/rootfs.js';
import type { Evidence, ManagerClaim, ManagerProbe } from './types.js';
import { probeIfupdown } from './ifupdown.js';
import { probeIfcfg } from './ifcfg.js';
import { probeNetplan } from './netplan.js';
import { probeNetworkManager } from './networkmanager.js';
import { probeNetworkd } from './networkd.js';
import { probeWicked } from './wicked.js';
import { probeNetifrc } from './netifrc.js';
import { probeNixos } from './nixos.js';

/** One line a manager: its probe file does the reading. */
export const PROBES: readonly ManagerProbe[] = [probeIfupdown, probeIfcfg, probeNetplan, probeNetworkManager, probeNetworkd, probeWicked, probeNetifrc, probeNixos];

/** Files-only order (no boot evidence): the era's managers first, as detection always did. */
const FILE_ORDER: readonly Backend[] = ['ifcfg', 'ifupdown', 'ifupdown-ng', 'wicked', 'networkd', 'networkmanager', 'netplan', 'netifrc', 'nixos'];

export interface ManagerDecision {
  backend: Backend;
  /** Every manager found, chosen or not, for detect's output. */
  claims: ManagerClaim[];
  /** Two or more active managers name the NIC: the admin answers `backend`. Empty otherwise. */
  conflict: Backend[];
  /** Why the backend was chosen: the rule, then the chosen manager's own evidence. */
  why: Evidence[];
}

const byOrder = (a: ManagerClaim, b: ManagerClaim) => FILE_ORDER.indexOf(a.backend) - FILE_ORDER.indexOf(b.backend);

export function decideManager(fs: RootFs, nic: string | null, probes: readonly ManagerProbe[] = PROBES): ManagerDecision {
  const claims = probes.map((p) => p(fs)).filter((c): c is ManagerClaim => c !== null);
  const chosen = (claim: ManagerClaim, rule: string, conflict: Backend[] = []): ManagerDecision => ({
    backend: claim.backend,
    claims,
    conflict,
    why: [{ key: rule, params: { backend: claim.backend, nic: nic ?? '-' } }, ...claim.evidence],
  });
  const active = claims.filter((c) => c.active);
  const naming = (list: ManagerClaim[]) => (nic ? list.filter((c) => c.nics.includes(nic)) : []);
  if (active.length > 0) {
    const named = naming(active);
    if (named.length === 1) return chosen(named[0], 'detect.why.ruleActiveNamesNic');
    if (named.length > 1) return chosen(named[0], 'detect.why.ruleConflict', named.map((c) => c.backend));
    if (active.length === 1) return chosen(active[0], 'detect.why.ruleOnlyActive');
    // netplan writes the other managers' configuration at boot: it is the one to edit.
    const netplan = active.find((c) => c.backend === 'netplan');
    if (netplan) return chosen(netplan, 'detect.why.ruleNetplanFirst');
    return chosen(active[0], 'detect.why.ruleConflict', active.map((c) => c.backend));
  }
  const named = naming(claims).sort(byOrder);
  // ifupdown's stanza for the NIC beats an ifcfg file for it (the order detection always used).
  const ifupdownNamed = named.find((c) => c.backend === 'ifupdown' || c.backend === 'ifupdown-ng');
  if (ifupdownNamed) return chosen(ifupdownNamed, 'detect.why.ruleFilesNameNic');
  if (named.length > 0) return chosen(named[0], 'detect.why.ruleFilesNameNic');
  const withNics = claims.filter((c) => c.nics.length > 0).sort(byOrder);
  if (withNics.length > 0) return chosen(withNics[0], 'detect.why.ruleFilesOnly');
  const any = [...claims].sort(byOrder)[0];
  if (any) return chosen(any, 'detect.why.ruleFilesOnly');
  return { backend: 'unknown', claims, conflict: [], why: [] };
}
