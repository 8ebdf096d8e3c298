// What the wizard's steps share: the run context, what detection found, the answers so far,
// and a prompter (injected, so tests can answer without a terminal).
import type { Context } from '../src/context.js';
import type { HostFacts } from '../src/model/host.js';
import type { Answers } from '../src/model/answers.js';
import type { Planned } from '../src/plan/makePlan.js';
import type { Outcome } from '../src/exec/runPlan.js';

export interface Choice<T> {
  value: T;
  name: string;
  /** What is echoed after the answered question (default: the value when the name starts with it). */
  short?: string;
  description?: string;
  checked?: boolean;
  disabled?: boolean | string;
}

export interface Prompter {
  select<T>(q: { message: string; choices: Choice<T>[]; default?: T }): Promise<T>;
  checkbox<T>(q: { message: string; choices: Choice<T>[] }): Promise<T[]>;
  input(q: { message: string; default?: string; validate?: (v: string) => true | string }): Promise<string>;
  confirm(q: { message: string; default?: boolean }): Promise<boolean>;
}

export interface WizardState {
  ctx: Context;
  host: HostFacts;
  answers: Answers;
  /** Ids the user actually answered (or the answers file did): what --save-answers records. */
  ask: Prompter;
  planned: Planned | null;
  confirmed: boolean;
  outcome: Outcome | null;
  /** Set when a step ends the wizard early (nothing to do, cancelled). */
  done: boolean;
}

/** The prompt is asked only when the answer is not pre-filled and a person is there to answer. */
export function shouldAsk(state: Pick<WizardState, 'ctx' | 'answers'>, id: string): boolean {
  return state.answers[id] === undefined && state.ctx.interactive;
}
