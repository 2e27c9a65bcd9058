import assert from 'node:assert/strict';

/** A decider: state folded from events, and the events a command makes from that state. */
export interface Decider<S, C, E> {
  initialState: S;
  evolve: (state: S, event: E) => S;
  decide: (state: S, command: C) => readonly E[];
}

/**
 * given(history).when(command).then(expected events, or the error it is refused with): a decider's unit
 * test without a store. `then` takes the events themselves, or a check of them. Plain assertions, so it
 * runs under any test runner.
 */
export function deciderSpec<S, C, E>(decider: Decider<S, C, E>) {
  return {
    given(history: readonly E[]) {
      return {
        when(command: C) {
          const decide = (): readonly E[] =>
            decider.decide(history.reduce(decider.evolve, decider.initialState), command);
          return {
            then(expected: readonly E[] | ((events: readonly E[]) => void)): readonly E[] {
              const events = decide();
              if (typeof expected === 'function') expected(events);
              else assert.deepStrictEqual(events, expected);
              return events;
            },
            /** The command is refused: the error matches the pattern, or is of the class. */
            thenRefused(error: RegExp | (new (...args: never[]) => Error)): void {
              assert.throws(decide, error);
            },
          };
        },
      };
    },
  };
}
