// Starts a real libvirtd (test/_helpers/libvirtd.ts) over the /etc/libvirt given as argv[2],
// prints its namespace, directory and processes as one JSON line, then waits to be killed:
// isolation.test.ts kills this process with SIGKILL and checks the daemon went with it.
import { Libvirtd } from '../_helpers/libvirtd.js';

const lv = await new Libvirtd(process.argv[2]).start();
console.log(JSON.stringify({ netns: lv.netns, dir: lv.dir, pids: lv.pids() }));
setInterval(() => {}, 60_000);
