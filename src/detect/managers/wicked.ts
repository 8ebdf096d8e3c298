// Probe for wicked (openSUSE, SLES): wicked.service enabled (or network.service, the alias
// openSUSE points at the manager in use), and the ifcfg-<name> files of /etc/sysconfig/network.
import type { RootFs } from '../../system/rootfs.js';
import { aliasTarget, enabledAt } from './enabledUnits.js';
import type { Evidence, ManagerProbe } from './types.js';

const DIR = '/etc/sysconfig/network';

export const probeWicked: ManagerProbe = (fs: RootFs) => {
  const evidence: Evidence[] = [];
  const link = enabledAt(fs, 'wicked.service');
  if (link) evidence.push({ key: 'evidence.systemdWants', params: { link } });
  const alias = aliasTarget(fs, 'network.service');
  if (alias === 'wicked.service') evidence.push({ key: 'evidence.systemdAlias', params: { alias: '/etc/systemd/system/network.service', unit: alias } });
  const nics = fs.list(DIR)
    // ifcfg(5), "Filenames and extensions": wicked ignores these.
    .filter((e) => e.startsWith('ifcfg-') && e !== 'ifcfg-lo' && !/~$|\.(old|bak|orig|scpmbackup|rpmnew|rpmsave|rpmorig)$/.test(e))
    .map((e) => e.slice('ifcfg-'.length));
  for (const nic of nics) evidence.push({ key: 'evidence.wickedIfcfg', params: { file: `${DIR}/ifcfg-${nic}`, nic } });
  if (!link && alias !== 'wicked.service' && nics.length === 0) return null;
  return { backend: 'wicked', active: link !== null || alias === 'wicked.service', nics, evidence };
};
