import { ServiceConfig } from '@jigsaw/config';
import { PersonalDataVault } from '@jigsaw/erasure';
import { readStoredEvent } from '@jigsaw/envelope';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually, inParallel } from './support/agency-client.js';
import { compareWithReplay, eventCounts } from './support/replay.js';
import { createWorld, type World } from './support/world.js';
import { hostileCorpus, type HostileCase } from './hostile/corpus.js';

interface Answer {
  status: number;
  contentType: string;
  body: unknown;
}

interface Problem {
  status?: number;
  detail?: string;
  errors?: { field: string; reason: string }[];
}

interface Outcome {
  resourceType?: string;
  issue: { expression?: string[]; diagnostics?: string }[];
}

/** `Bundle.entry[1].resource.x` names `entry[1].resource.x`; `Bundle` the body; `http.source` the parameter. */
const fieldOfExpression = (expression: string): string =>
  expression === 'Bundle' ? '(body)' : expression.replace(/^Bundle\.|^http\./, '');

type Row = { status: string; id?: string; errors?: { field: string; reason: string }[] };
interface Report {
  rows?: (Row & { row: number; events?: { id: string; status: string }[] })[];
  entries?: (Row & { entry: number })[];
}

const corpus = hostileCorpus();
const groups = [...new Set(corpus.map((c) => c.group))];

const namesField = (errors: Problem['errors'], field: string): boolean =>
  (errors ?? []).some(
    (e) =>
      typeof e.reason === 'string' &&
      e.reason.length > 0 &&
      (e.field === field || e.field.startsWith(`${field}.`) || e.field.startsWith(`${field}[`)),
  );

/** What a case got wrong, or undefined; and the ids the answer says it recorded. */
function judge(c: HostileCase, answer: Answer): { wrong?: string; recorded: string[] } {
  const expectation = c.expect;
  const recorded: string[] = [];
  const report = answer.body as Report;
  for (const row of report?.rows ?? []) {
    if (row.status === 'accepted' || row.status === 'duplicate') {
      if (row.id) recorded.push(row.id);
      for (const e of row.events ?? []) if (e.status !== 'rejected') recorded.push(e.id);
    }
  }
  for (const entry of report?.entries ?? [])
    if (entry.status !== 'rejected' && entry.id) recorded.push(entry.id);
  if (answer.status === 202 && c.event) recorded.push(c.event.id);

  const seen = `${answer.status} ${JSON.stringify(answer.body)?.slice(0, 400)}`;
  switch (expectation.kind) {
    case 'accepted': {
      if (answer.status !== expectation.status)
        return { wrong: `expected ${expectation.status}, got ${seen}`, recorded };
      const rejected = [...(report?.rows ?? []), ...(report?.entries ?? [])].filter(
        (r) => r.status === 'rejected',
      );
      return rejected.length > 0 ? { wrong: `a valid input was refused: ${seen}`, recorded } : { recorded };
    }
    case 'problem': {
      if (answer.status !== expectation.status)
        return { wrong: `expected ${expectation.status}, got ${seen}`, recorded };
      // The FHIR adapter refuses as FHIR clients expect: an OperationOutcome, each issue naming a FHIRPath.
      if (answer.contentType.includes('application/fhir+json')) {
        const outcome = answer.body as Outcome;
        if (outcome?.resourceType !== 'OperationOutcome' || !(outcome.issue?.length > 0))
          return { wrong: `not an OperationOutcome: ${seen}`, recorded };
        const errors = outcome.issue.flatMap((i) =>
          (i.expression ?? []).map((e) => ({ field: fieldOfExpression(e), reason: i.diagnostics ?? '' })),
        );
        if (expectation.field !== undefined && !namesField(errors, expectation.field))
          return { wrong: `does not name ${expectation.field}: ${seen}`, recorded };
        return { recorded };
      }
      const problem = answer.body as Problem;
      if (!answer.contentType.includes('application/problem+json'))
        return { wrong: `not problem+json: ${answer.contentType}`, recorded };
      if (problem.status !== answer.status || !problem.detail)
        return { wrong: `no status or detail: ${seen}`, recorded };
      if (expectation.field !== undefined && !namesField(problem.errors, expectation.field))
        return { wrong: `does not name ${expectation.field}: ${seen}`, recorded };
      return { recorded };
    }
    case 'rejected-row': {
      if (answer.status !== 200) return { wrong: `expected 200 with a report, got ${seen}`, recorded };
      const row =
        report.rows?.find((r) => r.row === expectation.at) ??
        report.entries?.find((e) => e.entry === expectation.at);
      if (row?.status !== 'rejected')
        return { wrong: `row ${expectation.at} not refused: ${seen}`, recorded };
      if (!namesField(row.errors, expectation.field))
        return { wrong: `does not name ${expectation.field}: ${seen}`, recorded };
      return { recorded };
    }
  }
}

describe('hostile input', () => {
  let world: World;
  const recorded = new Set<string>();
  const refused: HostileCase[] = [];

  beforeAll(async () => {
    world = await createWorld('hostile', ['police', 'council', 'health', 'education', 'safeguarding-view']);
  }, 180_000);
  afterAll(async () => world?.close());

  async function send(c: HostileCase): Promise<Answer> {
    const response = await fetch(`${world.service(c.service).url}${c.path}`, {
      method: c.method,
      headers: c.headers,
      ...(c.body !== undefined ? { body: c.body } : {}),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // left as text: the judge says what is wrong with it
    }
    return { status: response.status, contentType: response.headers.get('content-type') ?? '', body };
  }

  it('holds at least 300 inputs that must be refused with a 4xx naming the problem', () => {
    const refusals = corpus.filter((c) => c.expect.kind === 'problem' && c.expect.status < 500);
    process.stderr.write(
      `[faults] hostile corpus: ${corpus.length} cases, ${refusals.length} answered 4xx, ` +
        `${corpus.filter((c) => c.expect.kind === 'rejected-row').length} refused rows, ` +
        `${corpus.filter((c) => c.expect.kind === 'accepted').length} valid\n`,
    );
    expect(refusals.length).toBeGreaterThanOrEqual(300);
  });

  it.each(groups)('answers every %s case as it must', async (group) => {
    const cases = corpus.filter((c) => c.group === group);
    // The valid ones in order (a reused id depends on the one before); the rest four at a time.
    const results = await inParallel(cases, group === 'valid' ? 1 : 4, async (c) => {
      const verdict = judge(c, await send(c));
      for (const id of verdict.recorded) recorded.add(id);
      if (c.expect.kind !== 'accepted' && c.event) refused.push(c);
      return verdict.wrong ? `${c.name}: ${verdict.wrong}` : undefined;
    });
    expect(results.filter((r) => r !== undefined)).toEqual([]);
  });

  it('afterwards holds exactly the valid events, each once, stored as sent, in store and read models', async () => {
    const stored = await world.pool.query<{ id: string; n: number }>(
      // The agencies' events: not the hub's own (reads, and possible matches the identity work raises).
      `SELECT id, count(*)::int AS n FROM event_store.events WHERE type NOT LIKE 'hub.%' GROUP BY id`,
    );
    expect(stored.rows.filter((r) => r.n !== 1)).toEqual([]);
    expect(new Set(stored.rows.map((r) => r.id))).toEqual(recorded);
    const refusedIds = new Set(refused.map((c) => c.event!.id));
    expect(stored.rows.filter((r) => refusedIds.has(r.id))).toEqual([]);

    // The valid events that looked hostile are stored exactly as sent (once their personal data, stored
    // sealed, is opened).
    const vault = new PersonalDataVault(world.pool, { masterKey: new ServiceConfig().ENCRYPTION_MASTER_KEY });
    for (const c of corpus.filter((x) => x.group === 'valid' && x.event && x.expect.kind === 'accepted')) {
      const row = await world.pool.query<{ payload: Record<string, unknown> }>(
        'SELECT payload FROM event_store.events WHERE source = $1 AND id = $2',
        [c.event!.source, c.event!.id],
      );
      const [opened] = await vault.openAll([readStoredEvent(row.rows[0]!.payload)]);
      const {
        childid: _child,
        recordedtime: _recorded,
        ...asSent
      } = opened as unknown as Record<string, unknown>;
      expect(asSent).toEqual(c.event!.sent);
    }

    const counts = await eventually(
      async () => {
        const n = await eventCounts(world.pool);
        return n.chronology >= recorded.size && n.outbox === 0 ? n : undefined;
      },
      120_000,
      `${recorded.size} events in the view`,
    );
    expect(counts).toEqual({
      stored: recorded.size,
      storedDistinct: recorded.size,
      chronology: recorded.size,
      chronologyDistinct: recorded.size,
      outbox: 0,
    });
    const replay = await compareWithReplay(world.pool, world.store);
    for (const diff of Object.values(replay.differences))
      expect(diff).toEqual({ liveOnly: 0, replayOnly: 0 });
  });
});
