// Shared by the real-libvirtd suites: the wizard inside a testbed whose dom0 runs a real libvirtd,
// the kernel's and libvirt's views of a network, a DHCP probe from a guest namespace, and the
// phase line `npm test` prints (libvirt's version, the recipe, how many network steps ran).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Testbed } from '../testbed/testbed.js';
import { PROJECT } from '../_helpers/roots.js';

export function wizardIn(tb: Testbed) {
  return (...args: string[]) => tb.exec(tb.ns.dom0, [process.execPath, path.join(PROJECT, 'bin/xen-net-wizard.js'), ...args], { env: tb.env() });
}

/** libvirtd's and dnsmasq's versions, as their binaries print them. */
export function versions(): string {
  const first = (argv: string[]) => spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' }).stdout.split('\n')[0].trim();
  return `${first(['libvirtd', '--version'])}, ${first(['dnsmasq', '--version']).replace(/\s*Copyright.*/, '')}`;
}

/** A link in dom0 as the kernel has it: master, state and IPv4 addresses; null when absent. */
export function kernelLink(tb: Testbed, name: string): { master: string | null; addrs: string[] } | null {
  const r = tb.exec(tb.ns.dom0, ['ip', '-json', 'address', 'show', 'dev', name]);
  if (r.status !== 0) return null;
  const [link] = JSON.parse(r.stdout) as { master?: string; addr_info: { family: string; local: string; prefixlen: number }[] }[];
  return { master: link.master ?? null, addrs: link.addr_info.filter((a) => a.family === 'inet').map((a) => `${a.local}/${a.prefixlen}`) };
}

/**
 * DHCP from a guest namespace's eth0 (busybox udhcpc, nothing configured): the server's address
 * when a lease was offered and acked, else null. libvirt's bridges have STP on, and the kernel
 * holds a new port in listening/learning for at least 2 × 2 s: hence the patient retries.
 */
export function dhcpLease(tb: { exec(ns: string, argv: string[], opts?: { timeout?: number }): { stderr: string } }, guestNs: string, dev = 'eth0'): string | null {
  const r = tb.exec(guestNs, ['busybox', 'udhcpc', '-i', dev, '-n', '-q', '-s', '/bin/true', '-t', '6', '-T', '2', '-A', '1'], { timeout: 60_000 });
  return /lease of \S+ obtained from ([\d.]+)/.exec(r.stderr)?.[1] ?? null;
}

/** The rules libvirt installed for a network: those naming its bridge or its subnet (iptables-save lines). */
export function rulesOf(tb: Testbed, bridge: string, subnet: string): string[] {
  return tb.libvirtd!.rules().filter((l) => l.includes(` ${bridge} `) || l.endsWith(` ${bridge}`) || l.includes(subnet));
}

/**
 * libvirt's autostart link in the dom0's files: its target, or null. libvirt writes an absolute
 * target (/etc/libvirt/qemu/networks/NAME.xml), which under a --root dangles by design.
 */
export function autostartLink(tb: Testbed, name: string): string | null {
  try {
    return fs.readlinkSync(path.join(tb.root, `etc/libvirt/qemu/networks/autostart/${name}.xml`));
  } catch {
    return null;
  }
}

/** The line `npm test` shows for this phase. */
export function phaseLine(recipe: string, steps: string[]): void {
  console.log(`=== real libvirtd (${versions()}): ${recipe} — ${steps.length} libvirt network step(s) run and undone: ${steps.join(', ')} ===`);
}
