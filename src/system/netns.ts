// Is this process in the machine's own network namespace? DESIGN.md: compare /proc/self/ns/net
// with PID 1's. Inside `ip netns exec` PID 1's link is not readable (EACCES); then a namespace
// is known to be another one when it is one of the named namespaces in /run/netns.
import fs from 'node:fs';

export function ownNetns(): boolean {
  let self: fs.Stats;
  try {
    self = fs.statSync('/proc/self/ns/net');
  } catch {
    return true; // cannot tell: the safe answer
  }
  try {
    const init = fs.statSync('/proc/1/ns/net');
    return init.ino === self.ino && init.dev === self.dev;
  } catch {
    for (const dir of ['/run/netns', '/var/run/netns']) {
      let names: string[] = [];
      try {
        names = fs.readdirSync(dir);
      } catch {
        continue;
      }
      for (const name of names) {
        try {
          const st = fs.statSync(`${dir}/${name}`);
          if (st.ino === self.ino && st.dev === self.dev) return false;
        } catch {
          // a stale mount point
        }
      }
    }
    return true;
  }
}

/** A Xen dom0 has /proc/xen/capabilities containing "control_d". */
export function isXenDom0(): boolean {
  try {
    return fs.readFileSync('/proc/xen/capabilities', 'utf8').includes('control_d');
  } catch {
    return false;
  }
}
