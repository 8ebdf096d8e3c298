// Typed errors thrown from deep code and mapped to exit codes in one place (src/main.ts).
// Each carries a locale key and its parameters, so the message is printed in the user's language.

export type MessageParams = Record<string, string | number>;

export const EXIT = {
  ok: 0,
  failedRolledBack: 1,
  badInput: 2,
  notConfirmed: 3,
  rollbackFailed: 4,
  interrupted: 130,
} as const;

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

/** Ctrl-C. Exit 130. */
export class InterruptError extends WizardError {
  constructor(key = 'error.interrupted', params: MessageParams = {}) {
    super(key, params, EXIT.interrupted);
  }
}
