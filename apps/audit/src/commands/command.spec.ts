import { describe, expect, it } from '@jest/globals';
import type { JigsawError } from '@jigsaw/errors';
import { commandInputOf, type AuditCommand } from './command.js';

const command: AuditCommand = {
  name: 'example',
  summary: 'an example',
  usage: '<x>',
  options: {
    format: { type: 'string', description: 'a format' },
    model: { type: 'string', multiple: true, description: 'models' },
    force: { type: 'boolean', description: 'force' },
  },
  run: () => Promise.resolve({ json: null, text: '' }),
};

const problems = (body: unknown): unknown => {
  try {
    commandInputOf(command, body);
  } catch (error) {
    return (error as JigsawError).problems;
  }
  throw new Error('expected a validation error');
};

describe('commandInputOf', () => {
  it('takes args and declared options from an HTTP body', () => {
    expect(
      commandInputOf(command, { args: ['a'], options: { format: 'html', model: ['m'], force: true } }),
    ).toEqual({
      args: ['a'],
      options: { format: 'html', model: ['m'], force: true },
    });
    expect(commandInputOf(command, undefined)).toEqual({ args: [], options: {} });
  });

  it('names each field that is wrong', () => {
    expect(problems({ args: [1], options: { format: true, colour: 'red' }, extra: 1 })).toEqual([
      { field: 'extra', reason: 'is not allowed' },
      { field: 'args', reason: 'must be an array of strings' },
      { field: 'options.format', reason: 'must be a string' },
      { field: 'options.colour', reason: 'is not an option of this command' },
    ]);
    expect(problems({ options: { force: 'yes' } })).toEqual([
      { field: 'options.force', reason: 'must be true or false' },
    ]);
  });
});
