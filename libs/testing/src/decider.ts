import assert from 'node:assert/strict';
import type { Decider } from '@jigsaw/event-store';

/**
 * given(history).when(command).then(expected events), or .thenRefused(the error it is refused with): a
 * decider's unit test without a store. `then` takes the events themselves, or a check of them. Plain assertions, so it
 * runs under any test runner.
 */
export function deciderSpec<S, C, E, R = undefined>(decider: Decider<S, C, E, R>) {
  return {
    given(history: readonly E[]) {
      return {
        when(command: C) {
          // The events decided; an outcome decided beside them (`{ events, result }`) is not what is checked.
          const decide = (): readonly E[] => {
            const decision = decider.decide(history.reduce(decider.evolve, decider.initialState), command);
            return Array.isArray(decision) ? decision : (decision as { events: readonly E[] }).events;
          };
          return {
            then(expected: readonly E[] | ((events: readonly E[]) => void)): readonly E[] {
              const events = decide();
              if (typeof expected === 'function') expected(events);
              else assert.deepStrictEqual(events, expected);
              return events;
            },
            /**
             * The command is refused: the error matches the pattern, is of the class, or has the properties
             * given (`{ problems: [{ field, reason }] }`, compared deeply). Answers the error itself.
             */
            thenRefused(error: RegExp | (new (...args: never[]) => Error) | object): Error {
              let thrown: unknown;
              assert.throws(() => {
                try {
                  decide();
                } catch (caught) {
                  thrown = caught;
                  throw caught;
                }
              }, error);
              return thrown as Error;
            },
          };
        },
      };
    },
  };
}
