// Which commands of a plan change only what a reboot resets (the kernel's links, addresses and
// routes, xenstore, running services and libvirt's running networks) and which change what the
// machine boots from (init links, packages, libvirt's stored definitions). After a power cut or a
// reboot in the middle of a run, the first kind is already gone: undoing it would act on the
// state the boot brought up from the files instead — e.g. add dom0's address to a NIC the boot
// already gave it (the lab's power cut before the first file: "RTNETLINK answers: File exists").

/** Commands whose whole effect is the running state. */
const RUNTIME = new Set([
  'ip', 'ifup', 'ifdown', 'brctl', 'ethtool', 'iptables', 'ip6tables', 'sysctl', 'xenstore-write', 'xl', 'service',
  'networkctl', 'netplan', 'nmcli', 'wicked', 'start-stop-daemon',
]);
/** Commands that change what the next boot does; undone in every case. */
const PERSISTENT = new Set(['chkconfig', 'update-rc.d', 'apt-get', 'update-initramfs']);
/** virsh's verbs on running networks; the others (define, net-autostart, …) are stored config. */
const VIRSH_RUNTIME = new Set(['net-start', 'net-destroy', 'start', 'destroy', 'shutdown']);
/** systemctl's verbs on running units; enable/disable/mask are links on disk. */
const SYSTEMCTL_RUNTIME = new Set(['start', 'stop', 'restart', 'reload', 'try-restart', 'reload-or-restart']);
/** An init or network script (xend's network-bridge, /etc/init.d/*) started or stopped. */
const SCRIPT_VERBS = new Set(['start', 'stop', 'restart', 'reload']);

/** The command's name without its directory (`/etc/xen/scripts/network-bridge` → `network-bridge`). */
const commandName = (cmd: string) => cmd.slice(cmd.lastIndexOf('/') + 1);

/** The effect of `argv` ends with the boot it ran in: nothing of it to undo in a later boot. */
export function endsWithReboot(argv: readonly string[]): boolean {
  const [cmd = '', verb = ''] = argv;
  const name = commandName(cmd);
  if (PERSISTENT.has(name)) return false;
  if (name === 'virsh') return VIRSH_RUNTIME.has(verb);
  if (name === 'systemctl') return SYSTEMCTL_RUNTIME.has(verb);
  if (RUNTIME.has(name)) return true;
  return cmd.includes('/') && SCRIPT_VERBS.has(verb);
}

/** Every command is one or the other; a new one must be sorted in (test/apply/recipeCommands.test.ts). */
export function classified(argv: readonly string[]): boolean {
  const name = commandName(argv[0] ?? '');
  return endsWithReboot(argv) || PERSISTENT.has(name) || name === 'virsh' || name === 'systemctl';
}

/**
 * `virsh net-start NAME` / `net-destroy NAME`: the `Active:` state of `virsh net-info NAME` in which
 * it has nothing to do (a boot may have started the network from its autostart link already, or
 * not started it), or null for any other command.
 */
export function virshNetNoop(argv: readonly string[]): { name: string; active: boolean } | null {
  if (argv[0] !== 'virsh' || argv.length !== 3) return null;
  if (argv[1] === 'net-start') return { name: argv[2]!, active: true };
  if (argv[1] === 'net-destroy') return { name: argv[2]!, active: false };
  return null;
}

/** `Active:` of `virsh net-info` output, or null when it does not say. */
export function netInfoActive(stdout: string): boolean | null {
  const m = /^Active:\s*(yes|no)\s*$/m.exec(stdout);
  return m ? m[1] === 'yes' : null;
}
