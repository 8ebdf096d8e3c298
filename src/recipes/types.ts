// What a recipe is: its questions (stable answer ids with types, for the answers file and the
// wizard), defaults from detection, and a pure function answers × host × files → plan.
import type { Answers } from '../model/answers.js';
import type { HostFacts } from '../model/host.js';
import type { Plan, ReadFile } from '../model/plan.js';
import type { InterfacesFile } from '../parse/interfaces.js';
import type { RandomBytes } from '../mac.js';
import type { Topology } from '../model/topology.js';
import type { LiveSnapshot } from '../live/snapshot.js';
import type { Guest } from '../model/host.js';
import type { RunningGuest } from '../live/runningGuests.js';

export type AnswerKind = 'string' | 'boolean' | 'string[]' | 'macs' | 'number';

/** How the wizard asks a question (steps/5-questions.ts renders it; plan/apply never ask). */
export type PromptKind =
  | 'nic' /* select one NIC of the host */
  | 'nics' /* checkbox: several NICs */
  | 'guests' /* checkbox: guests of the host */
  | 'input' /* free text, checked by `validate` */
  | 'select' /* one of `choices` */
  | 'confirm';

export interface Question {
  /** The stable answer id (README), e.g. "internal.bridge". */
  id: string;
  kind: AnswerKind;
  choices?: readonly string[];
  /** How the wizard asks it; absent: never asked, only from the answers file or its default. */
  prompt?: PromptKind;
  /** Locale key of the prompt text (default `q.<id>`). */
  message?: string;
  /** Asked only on this profile. */
  profile?: 'xend' | 'xl';
  /** Value check for a typed answer: throws InputError (the wizard shows its message and asks again). */
  validate?: (value: string, host: HostFacts) => void;
}

/** The kernel's state and running guests of a live dom0, for recipes that change it live. */
export interface LiveInputs {
  snapshot: LiveSnapshot;
  running: RunningGuest[];
  guests: Guest[];
  sshClient: string | null;
  /** xenstore's backend/vif/<domid>/<devid>/bridge of running guests, keyed "domid/devid". */
  xenstoreBridges?: Record<string, string>;
}

/** Everything a recipe's planner reads: detection, the dom0's files, the random source. Pure. */
export interface RecipeInputs {
  host: HostFacts;
  read: ReadFile;
  readLink: (path: string) => string | null;
  /** Entry names of a dom0 directory, sorted ([] when absent). */
  list?: (dir: string) => string[];
  /** /etc/network/interfaces and its sources, parsed (empty when the root has none). */
  interfaces: InterfacesFile[];
  random: RandomBytes;
  live?: LiveInputs;
}

export interface Planned {
  plan: Plan;
  topology: Topology;
  /** Every answer, defaults filled in and MACs concrete: what --save-answers writes. */
  answers: Answers;
}

export interface Recipe {
  id: string;
  /** Where the guide describes it, e.g. "seed 000: 85–199". */
  source: string;
  /** The recipe's own questions (recipe, profile and backend are common to all). */
  questions: readonly Question[];
  /** Defaults for every question, from detection (what the wizard pre-selects). */
  defaults(host: HostFacts): Answers;
  /** Validate the answers against the host, produce the Topology and render the plan. */
  plan(answers: Answers, inputs: RecipeInputs): Planned;
}
