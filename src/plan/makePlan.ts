// From a root and answers to a plan: detect, fill defaults, validate, render. Pure given its inputs.
import type { Answers } from '../answers.js';
import type { HostFacts } from '../host.js';
import type { Plan, ReadFile } from './types.js';
import type { RootFs } from '../system/rootfs.js';
import type { RandomBytes } from '../mac.js';
import type { Topology } from '../topology.js';
import { InputError } from '../errors.js';
import { findRecipe } from '../recipes/registry.js';
import { resolveSingleBridge, singleBridgeDefaults } from '../recipes/singleBridge.js';
import { planSingleBridge, type PlanInputs } from './planSingleBridge.js';
import { readInterfacesFiles } from '../detect/ifupdownFiles.js';

export interface Planned {
  plan: Plan;
  topology: Topology;
  /** Every answer, defaults filled in and MACs concrete: what --save-answers writes. */
  answers: Answers;
}

export function checkRecipe(id: string | undefined): string {
  if (id === undefined) throw new InputError('error.answerMissing', { id: 'recipe' });
  const recipe = findRecipe(id);
  if (!recipe) throw new InputError('error.unknownRecipe', { recipe: id });
  if (!recipe.available) throw new InputError('error.recipeNotYet', { recipe: id });
  return id;
}

export function readerFor(fs: RootFs): ReadFile {
  return (p: string) => {
    const text = fs.readText(p);
    const info = fs.info(p);
    if (text === null || !info || info.isDirectory) return null;
    return { text, mode: info.mode.toString(8).padStart(4, '0') };
  };
}

export function makePlan(fs: RootFs, host: HostFacts, answers: Answers, random: RandomBytes, live?: PlanInputs['live']): Planned {
  const recipe = checkRecipe(answers.recipe);
  const topology = resolveSingleBridge(host, answers, random);
  const plan = planSingleBridge({
    topology,
    read: readerFor(fs),
    readLink: (p) => fs.readLink(p),
    interfaces: topology.profile === 'xl' && topology.backend === 'ifupdown' ? readInterfacesFiles(fs) : [],
    libvirtNetworks: host.libvirtNetworks,
    networkScript: host.networkScript,
    live: topology.profile === 'xl' ? live : undefined,
  });
  const defaults = singleBridgeDefaults(host);
  const macs: Record<string, string> = {};
  for (const move of topology.vifMoves) if (move.mac) macs[`${move.guest}#${move.index}`] = move.mac;
  const resolved: Answers = {
    ...defaults,
    ...answers,
    recipe,
    profile: topology.profile,
    backend: topology.backend as Answers['backend'],
    macs: Object.keys(macs).length ? { ...(answers.macs && answers.macs !== 'auto' ? answers.macs : {}), ...macs } : (answers.macs ?? 'auto'),
    'libvirt.disableDefault': topology.libvirtDisable.length > 0 || (answers['libvirt.disableDefault'] ?? false),
  };
  return { plan, topology, answers: resolved };
}
