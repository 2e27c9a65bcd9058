import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { repoRoot } from '@jigsaw/config';
import { eventDataSource, GENERATED } from './event-data.generator.js';

describe('the data types of the event types', () => {
  it('are what the generator writes from schemas/ today (node libs/contracts/src/event-data.generator.ts)', () => {
    expect(readFileSync(join(repoRoot(), GENERATED), 'utf8')).toBe(eventDataSource(repoRoot()));
  });
});
