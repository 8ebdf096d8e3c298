// Linux interface names: at most 15 bytes (IFNAMSIZ 16 with the NUL), and we keep to the
// characters every tool (ifupdown, ifcfg, brctl, Xen's scripts) handles: [A-Za-z0-9_.-].
import { InputError } from '../../errors.js';

export function validateIfaceName(name: string, id: string): void {
  if (name.length === 0 || Buffer.byteLength(name) > 15) {
    throw new InputError('error.ifaceNameLength', { id, value: name, bytes: Buffer.byteLength(name) });
  }
  if (!/^[A-Za-z0-9_.-]+$/.test(name) || name === '.' || name === '..') {
    throw new InputError('error.ifaceNameChars', { id, value: name });
  }
  // ip, brctl and ifup would read "-x" as an option, not as a name.
  if (name.startsWith('-')) throw new InputError('error.ifaceNameDash', { id, value: name });
}
