// From a root and answers to a plan: detect, fill defaults, validate, render — through the
// chosen recipe's module. Pure given its inputs (the random source included).
import type { Answers } from '../model/answers.js';
import type { HostFacts } from '../model/host.js';
import type { RootFs } from '../system/rootfs.js';
import type { RandomBytes } from '../mac.js';
import type { LiveInputs, Planned, Recipe } from '../recipes/types.js';
import { InputError } from '../errors.js';
import { findRecipe, recipeModule } from '../recipes/registry.js';
import { readInterfacesFiles } from '../detect/ifupdownFiles.js';
import { filesOf } from '../detect/hostFiles.js';

export type { Planned } from '../recipes/types.js';

export function checkRecipe(id: string | undefined): string {
  return recipeFor(id).id;
}

export function recipeFor(id: string | undefined): Recipe {
  if (id === undefined) throw new InputError('error.answerMissing', { id: 'recipe' });
  const info = findRecipe(id);
  if (!info) throw new InputError('error.unknownRecipe', { recipe: id });
  const recipe = recipeModule(id);
  if (!recipe) throw new InputError('error.recipeNotYet', { recipe: id });
  return recipe;
}

export function makePlan(fs: RootFs, host: HostFacts, answers: Answers, random: RandomBytes, live?: LiveInputs): Planned {
  const recipe = recipeFor(answers.recipe);
  if (host.backendConflict.length > 1 && answers.backend === undefined) {
    throw new InputError('error.backendConflict', { backends: host.backendConflict.join(', '), nic: answers['wan.nic'] ?? host.defaultRouteNic ?? '-', id: 'backend' });
  }
  // What detection read and parsed, not read again (DESIGN.md: each file read once).
  const files = filesOf(host, fs);
  const planned = recipe.plan(answers, {
    host,
    read: files.read,
    readLink: (p) => files.readLink(p),
    list: (p) => files.list(p),
    interfaces: readInterfacesFiles(files),
    random,
    live,
  });
  refuseDestroyingUsedBridge(planned, host, answers, (p) => files.read(p)?.text ?? '');
  const ignore = answers['guests.ignoreUnparsed'] as string[] | undefined;
  return { ...planned, answers: { ...planned.answers, recipe: recipe.id, ...(ignore ? { 'guests.ignoreUnparsed': ignore } : {}) } };
}

const DESTRUCTIVE = /^run:virsh-net-(destroy|autostart-disable)-/;

/**
 * No silent skips (issue 12): a guest definition detect could not read whole may still use the
 * libvirt network the plan stops. When its text names the network's bridge (or the network), the
 * destructive steps are refused, naming the file and line, unless guests.ignoreUnparsed lists it.
 */
export function refuseDestroyingUsedBridge(planned: Planned, host: HostFacts, answers: Answers, text: (path: string) => string): void {
  const unparsed = host.unparsedGuests ?? [];
  const ignore = (answers['guests.ignoreUnparsed'] as string[] | undefined) ?? [];
  for (const path of ignore) {
    if (!unparsed.some((u) => u.path === path)) {
      throw new InputError('error.ignoreUnparsedUnknown', { path, known: unparsed.map((u) => u.path).join(', ') || '-' });
    }
  }
  const networks = new Set(planned.plan.steps.filter((s) => DESTRUCTIVE.test(s.id) && s.argv).map((s) => s.argv![2]));
  for (const name of networks) {
    const bridge = host.libvirtNetworks.find((n) => n.name === name)?.bridge ?? (name === 'default' ? 'virbr0' : null);
    const word = (w: string) => w.replace(/[.]/g, '\\.');
    // The bridge by name anywhere (a vif spec, a computed string), or the network as libvirt names it.
    const mentions = new RegExp(`${bridge ? `\\b${word(bridge)}\\b|` : ''}network\\s*=\\s*['"]?${word(name)}\\b`);
    for (const u of unparsed) {
      if (ignore.includes(u.path) || !mentions.test(text(u.path))) continue;
      throw new InputError('error.unparsedGuestUsesBridge', { file: u.path, line: u.line, bridge: bridge ?? name, network: name });
    }
  }
}
