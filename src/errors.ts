// Typed errors thrown from deep code and mapped to exit codes in one place (src/main.ts).
// Each carries a locale key and its parameters, so the message is printed in the user's language.

export type MessageParams = Record<string, string | number>;

export const EXIT = {
  ok: 0,
  failedRolledBack: 1,
  badInput: 2,
  notConfirmed: 3,
  rollbackFailed: 4,
  hangup: 129,
  interrupted: 130,
  terminated: 143,
} as const;

/** 128 + the signal's number, as a shell reports a process ended by it. */
export function exitForSignal(signal: NodeJS.Signals): number {
  return signal === 'SIGHUP' ? EXIT.hangup : signal === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted;
}

export class WizardError extends Error {
  constructor(
    readonly key: string,
    readonly params: MessageParams = {},
    readonly exitCode: number = EXIT.badInput,
  ) {
    super(`${key} ${JSON.stringify(params)}`);
    this.name = new.target.name;
  }
}

/** Bad usage or bad input: nothing was changed. Exit 2. */
export class InputError extends WizardError {
  constructor(key: string, params: MessageParams = {}) {
    super(key, params, EXIT.badInput);
  }
}

/** A step failed during apply and the run was rolled back. Exit 1. */
export class ApplyError extends WizardError {
  constructor(key: string, params: MessageParams = {}) {
    super(key, params, EXIT.failedRolledBack);
  }
}

/** Rolled back because the change was not confirmed or connectivity was lost. Exit 3. */
export class NotConfirmedError extends WizardError {
  constructor(key: string, params: MessageParams = {}) {
    super(key, params, EXIT.notConfirmed);
  }
}

/** Rollback itself failed; the journal path is in the params. Exit 4. */
export class RollbackError extends WizardError {
  constructor(key: string, params: MessageParams = {}) {
    super(key, params, EXIT.rollbackFailed);
  }
}

/** Ctrl-C (exit 130), SIGTERM (143) or a hang-up (129); during apply only once rolled back. */
export class InterruptError extends WizardError {
  constructor(key = 'error.interrupted', params: MessageParams = {}, exitCode: number = EXIT.interrupted) {
    super(key, params, exitCode);
  }
}
