// libvirt's record of a running Xen domain, and how its live XML is made to follow a live move.
// libvirt 9.0's libxl driver (src/libxl/libxl_driver.c, read for this) keeps each running domain's
// live definition in its state directory, /run/libvirt/libxl/<name>.xml (`virDomainObjSave` to
// cfg->stateDir: a <domstatus> element around <domain type='xen' id='<domid>'>), and reads it
// back only when the daemon starts: libxlStateInitialize loads every status file, and
// libxlReconnectDomain keeps a domain whose domid still runs with libvirt's userdata, then
// (libxlReconnectNotifyNets → virDomainNetNotifyActualDevice) re-attaches each vif to the bridge
// its interface names, and saves the file again. Its driver refuses `update-device --live` for
// interfaces, and detach + attach would unplug the guest's NIC; so after the xl-way move the
// status file's interface is edited to the new bridge and the daemon that owns the driver
// (libvirtd, or virtxend with the modular daemons) is restarted: libvirt's live view then names
// the new bridge, and a later restart of the daemon keeps the vif there instead of on the old one.
import type { FileChange, Plan, ReadFile, Step } from '../model/plan.js';
import type { Guest, LibvirtNetwork } from '../model/host.js';
import { commandStep } from '../model/steps.js';

export const LIBVIRT_LIBXL_STATE_DIR = '/run/libvirt/libxl';

export const libvirtStatusPath = (guest: string): string => `${LIBVIRT_LIBXL_STATE_DIR}/${guest}.xml`;

/** Which running domain a status file records: <domain … id='N'> and its <uuid>. */
export function statusDomain(text: string): { id: number; uuid: string } | null {
  const open = /<domain\b[^>]*>/.exec(text);
  const id = open ? /\bid=(['"])(\d+)\1/.exec(open[0]) : null;
  const uuid = open ? /<uuid>\s*([0-9a-fA-F-]{36})\s*<\/uuid>/.exec(text.slice(open.index)) : null;
  return id && uuid ? { id: Number(id[2]), uuid: uuid[1]!.toLowerCase() } : null;
}

const attr = (tag: string, name: string): string | null => new RegExp(`\\b${name}=(['"])([^'"]*)\\1`).exec(tag)?.[2] ?? null;

/**
 * The status file with each <interface> whose <target dev> is one of `vifs` and whose source is
 * `from` (its bridge= or, for type='network', the network `network` whose bridge `from` is) made
 * `<interface type='bridge'>` with `<source bridge='to'/>` and without libvirt's <actual>
 * allocation; every other byte kept. null when no such interface is there.
 */
export function retargetStatusInterfaces(text: string, vifs: string[], from: string, to: string, network: string | null): string | null {
  let changed = false;
  const out = text.replace(/<interface\b[^>]*>[\s\S]*?<\/interface>/g, (block) => {
    const target = /<target\b[^>]*\/?>/.exec(block);
    if (!target || !vifs.includes(attr(target[0], 'dev') ?? '')) return block;
    const source = /<source\b[^>]*\/>|<source\b[^>]*>[\s\S]*?<\/source>/.exec(block);
    if (!source) return block;
    const open = /^<interface\b[^>]*>/.exec(block)![0];
    const type = attr(open, 'type');
    const onSource = type === 'bridge' ? attr(source[0], 'bridge') === from
      : type === 'network' && (attr(source[0], 'bridge') === from || (network !== null && attr(source[0], 'network') === network));
    if (!onSource) return block;
    changed = true;
    const indent = /\n([ \t]*)<actual\b/.exec(block)?.[1];
    return block
      .replace(open, open.replace(/\btype=(['"])[^'"]*\1/, "type='bridge'"))
      .replace(source[0], `<source bridge='${to}'/>`)
      .replace(indent !== undefined ? new RegExp(`\\n${indent}<actual\\b[^>]*?(?:/>|>[\\s\\S]*?</actual>)`) : /<actual\b[^>]*?(?:\/>|>[\s\S]*?<\/actual>)/, '');
  });
  return changed ? out : null;
}

/** The daemon that runs libvirt's Xen driver, and how it is restarted on this dom0. */
export interface LibvirtDaemon {
  name: 'libvirtd' | 'virtxend';
  /** The commands, in order: the daemon is gone after the first, answering after the last. */
  restart: string[][];
}

/**
 * From the root: the daemon whose pid file is there (virtxend with the modular daemons, else the
 * monolithic libvirtd), restarted by systemd where it runs, else by its init script: stopped with
 * start-stop-daemon waiting for it to exit (the init script's own `restart` signals, sleeps one
 * second and starts, which finds the old daemon still shutting down on a slow host), then started.
 * null when there is none, or no way to restart it that the dom0 has.
 */
export function findLibvirtDaemon(read: ReadFile, list: (dir: string) => string[]): LibvirtDaemon | null {
  const name = read('/run/virtxend.pid') ? 'virtxend' : read('/run/libvirtd.pid') ? 'libvirtd' : null;
  if (!name) return null;
  if (list('/run/systemd').includes('system')) return { name, restart: [['systemctl', 'restart', `${name}.service`]] };
  const script = `/etc/init.d/${name}`;
  if (!read(script)) return null;
  return {
    name,
    restart: [
      ['start-stop-daemon', '--stop', '--quiet', '--oknodo', '--retry', 'TERM/60', '--pidfile', `/run/${name}.pid`, '--exec', `/usr/sbin/${name}`],
      [script, 'start'],
    ],
  };
}

export interface StatusMove { guest: string; domid: number; vifs: string[] }

/**
 * Per libvirt guest moved live: its status file edited (journaled: rollback puts the bytes back
 * while the file still records the same domain, see FileChange.runningDomain), then one restart of
 * the daemon so it reads them; run again at rollback after the files are restored. None when no
 * status file names the old bridge (or no daemon can be restarted: the plan then says that libvirt's
 * live view lags, note.libvirtLiveXml).
 */
export function libvirtStatusSteps(moves: StatusMove[], read: ReadFile, from: string, to: string, network: string | null, daemon: LibvirtDaemon | null): Step[] {
  if (!daemon) return [];
  const files: Step[] = [];
  for (const move of moves) {
    const path = libvirtStatusPath(move.guest);
    const file = read(path);
    const domain = file ? statusDomain(file.text) : null;
    if (!file || !domain || domain.id !== move.domid) continue;
    const after = retargetStatusInterfaces(file.text, move.vifs, from, to, network);
    if (after === null) continue;
    const change: FileChange = { path, mode: file.mode, before: file.text, after, ephemeral: true, runningDomain: domain };
    files.push({ id: `edit:${path}`, kind: 'file', phase: 'edit', title: { key: 'step.libvirtStatus', params: { guest: move.guest, bridge: to } }, file: change });
  }
  if (files.length === 0) return [];
  const restart = daemon.restart.map((argv, i) => commandStep(`libvirt-daemon-restart-${i + 1}`, 'finally', argv, {
    title: { key: daemon.restart.length === 1 ? 'step.libvirtDaemonRestart' : i === 0 ? 'step.libvirtDaemonStop' : 'step.libvirtDaemonStart', params: { daemon: daemon.name } },
    rerunOnRollback: true,
  }));
  return [...files, ...restart];
}

/** libvirt's libxl driver keeps its domains' definitions here (`virsh define` writes them). */
const LIBVIRT_LIBXL_DIR = '/etc/libvirt/libxl/';

/** Moved vifs of the guests libvirt's Xen driver manages, gathered per guest. */
export class LibvirtMoves {
  private readonly byGuest = new Map<string, StatusMove>();

  /** Records `vif` of `guest` (domain `domid`) when libvirt manages that guest. */
  add(guest: Guest, domid: number, vif: string): void {
    if (!guest.definitions.some((d) => d.kind === 'libvirt-xml' && d.path.startsWith(LIBVIRT_LIBXL_DIR))) return;
    const move = this.byGuest.get(guest.name) ?? { guest: guest.name, domid, vifs: [] };
    move.vifs.push(vif);
    this.byGuest.set(guest.name, move);
  }

  /**
   * What the plan does for them after vifs moved `from` → `to` underneath libvirt: the status file
   * edits (edit phase), the daemon's restart (the plan's last steps: after every libvirt command of
   * the plan, which need the daemon) and the note that says which guests' live view follows and
   * which lags until their next start (no daemon to restart, no status file naming `from`).
   */
  follow(read: ReadFile, list: (dir: string) => string[], networks: LibvirtNetwork[], from: string | null, to: string): { files: Step[]; last: Step[]; notes: Plan['notes'] } {
    if (this.byGuest.size === 0 || from === null) return { files: [], last: [], notes: [] };
    const network = networks.find((n) => n.bridge === from)?.name ?? null;
    const daemon = findLibvirtDaemon(read, list);
    const steps = libvirtStatusSteps([...this.byGuest.values()], read, from, to, network, daemon);
    const files = steps.filter((s) => s.file);
    const last = steps.filter((s) => !s.file);
    const edited = new Set(files.map((s) => s.file!.path));
    const guests = [...this.byGuest.keys()].sort();
    const following = guests.filter((g) => edited.has(libvirtStatusPath(g)));
    const lagging = guests.filter((g) => !edited.has(libvirtStatusPath(g)));
    const notes: Plan['notes'] = [];
    // libvirt 9.0's libxl driver updates a running guest's CD-ROM only (`update-device --live`
    // answers "device type 'interface' cannot be updated"); detach + attach would unplug the NIC
    // inside the guest. So the vif moves underneath libvirt, and its status file with it, read
    // again by a restart of its daemon; without a daemon to restart its live XML lags (test/lab/README.md).
    if (following.length > 0) notes.push({ key: 'note.libvirtStatus', params: { guests: following.join(', '), bridge: to, daemon: daemon!.name } });
    if (lagging.length > 0) notes.push({ key: 'note.libvirtLiveXml', params: { guests: lagging.join(', '), bridge: to } });
    return { files, last, notes };
  }
}
