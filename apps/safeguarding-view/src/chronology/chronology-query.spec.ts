import { describe, expect, it } from '@jest/globals';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { JigsawError } from '@jigsaw/errors';
import { fieldProblems } from '@jigsaw/http';
import { ChronologyQueryDto, DEFAULT_LIMIT, pageRequestOf } from './chronology-query.js';

/** As the global ValidationPipe does it: transform, then validate with unknown parameters refused. */
async function problemsOf(query: Record<string, unknown>): Promise<{ field: string; reason: string }[]> {
  const dto = plainToInstance(ChronologyQueryDto, query);
  return fieldProblems(await validate(dto, { whitelist: true, forbidNonWhitelisted: true }));
}
const parsed = (query: Record<string, unknown>) => pageRequestOf(plainToInstance(ChronologyQueryDto, query));

function refusal(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    if (error instanceof JigsawError) return error.problems;
    throw error;
  }
  return 'accepted';
}

describe('the chronology query', () => {
  it('takes the purpose alone, with the default page size', async () => {
    expect(await problemsOf({ purpose: 'safeguarding' })).toEqual([]);
    expect(parsed({ purpose: 'safeguarding' })).toEqual({ limit: DEFAULT_LIMIT });
  });

  it('reads lists comma separated or repeated, and a date as the whole day in UTC', async () => {
    const query = {
      purpose: 'safeguarding',
      limit: '20',
      agency: ['police,health', 'police'],
      type: 'police.missing-episode-started,education.suspension-recorded',
      from: '2026-01-01',
      to: '2026-03-31',
    };
    expect(await problemsOf(query)).toEqual([]);
    expect(parsed(query)).toEqual({
      limit: 20,
      agencies: ['police', 'health'],
      types: ['police.missing-episode-started', 'education.suspension-recorded'],
      from: '2026-01-01T00:00:00Z',
      to: { at: '2026-04-01T00:00:00.000Z', inclusive: false },
    });
    expect(parsed({ purpose: 'safeguarding', to: '2026-03-31T12:00:00+01:00' }).to).toEqual({
      at: '2026-03-31T12:00:00+01:00',
      inclusive: true,
    });
  });

  it.each([
    [{ limit: '0' }, 'limit', 'must not be less than 1'],
    [{ limit: '201' }, 'limit', 'must not be greater than 200'],
    [{ limit: 'ten' }, 'limit', 'must be an integer number'],
    [
      { agency: 'fire' },
      'agency',
      'each value in agency must be one of the following values: council, police, health, education',
    ],
    [{ type: 'DROP TABLE' }, 'type', 'must be event types such as police.missing-episode-started'],
    [{ from: '2026-02-30' }, 'from', 'must be a real date'],
    [{ to: 'yesterday' }, 'to', 'must be a date (YYYY-MM-DD) or a date and time (RFC 3339)'],
    [{ sort: 'desc' }, 'sort', 'property sort should not exist'],
  ])('refuses %j naming the parameter', async (query, field, reason) => {
    expect(await problemsOf({ purpose: 'safeguarding', ...query })).toContainEqual({ field, reason });
  });

  it('refuses a range that ends before it starts, naming `to`', () => {
    expect(refusal(() => parsed({ purpose: 'safeguarding', from: '2026-03-01', to: '2026-02-28' }))).toEqual([
      { field: 'to', reason: 'must not be before from' },
    ]);
    expect(refusal(() => parsed({ purpose: 'safeguarding', from: '2026-03-01', to: '2026-03-01' }))).toBe(
      'accepted',
    );
  });
});
