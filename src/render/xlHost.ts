// xl profile artifact: vif.default.bridge in xl.conf, so guests without bridge= land on the
// bridge too (the bridge itself is persisted by the host's network backend, src/backends/).
import type { PortedBridge } from '../model/topology.js';
import type { FileChange, ReadFile } from '../model/plan.js';
import { parseXlConfig, getString, setXlSetting } from '../parse/xlConfig.js';

export const XL_CONF = '/etc/xen/xl.conf';

export function renderXlConf(bridge: PortedBridge, read: ReadFile): FileChange | null {
  const file = read(XL_CONF);
  const before = file?.text ?? '';
  if (file && getString(parseXlConfig(before, XL_CONF), 'vif.default.bridge') === bridge.name) return null;
  const after = setXlSetting(before, XL_CONF, 'vif.default.bridge', bridge.name);
  return { path: XL_CONF, mode: file?.mode ?? '0644', before: file ? before : null, after };
}
