import { randomUUID } from 'node:crypto';
import { BATCH_MEDIA_TYPE, toCloudEvent, type JigsawEnvelope } from '@jigsaw/envelope';
import { METROPOLITAN_POLICE, type ServiceName } from '@jigsaw/testing';
import {
  aChild,
  aLeadPractitioner,
  anAttendance,
  anIncident,
  aPupilOnRoll,
  LEEDS,
  LTH,
  HILLSIDE,
  type TestChild,
} from '../../../apps/notifications/src/testing/notification-events.factory.js';
import { postBodyUntilAnswered, postUntilAnswered } from './agency-client.js';

/** One request an agency system makes: a single event, or a batch through the agency's adapter. */
export interface Post {
  service: ServiceName;
  organisation: string;
  path: string;
  body: unknown;
  /** Events it carries. */
  events: number;
  /** Its media type, when not application/json: batched CloudEvents. */
  contentType?: string;
}

/** What the hub acknowledged for a post: the (source, id) of every event it now holds. */
export interface Acknowledged {
  status: number;
  attempts: number;
  keys: string[];
}

export const eventKey = (source: string, id: string): string => `${source}|${id}`;

/** NHS numbers given out in this run: the test range holds about 900,000, so thousands of random ones collide. */
const taken = new Set<string>();

/**
 * A child whose NHS number no other child of this run has. Two that shared one would rightly be one child to
 * the hub, and a filler on a school's roll would turn another child's incident into that school's notification.
 */
export function aDistinctChild(): TestChild {
  for (;;) {
    const child = aChild();
    if (taken.has(child.nhsNumber)) continue;
    taken.add(child.nhsNumber);
    return child;
  }
}

const ago = (ms: number): string => new Date(Date.now() - ms).toISOString();

/** A single CloudEvent, posted to `/v1/events`. */
function single(service: ServiceName, envelope: { source: string }): Post {
  return { service, organisation: envelope.source, path: '/v1/events', body: envelope, events: 1 };
}

/**
 * A force's Operation Encompass batch as JSON rows, each a child the hub has not seen (no school given), from
 * a backlog 40 days old: older than NOTIFICATION_MAX_AGE_DAYS, so they raise no notification.
 */
export function anOperationEncompassBatch(rows: number): Post {
  const body = Array.from({ length: rows }, () => ({
    incidentReference: `CAD-${randomUUID().slice(0, 13)}`,
    incidentDateTime: ago(40 * 86_400_000),
    childNhsNumber: aDistinctChild().nhsNumber,
    childGivenName: 'Sam',
    childFamilyName: 'Example',
    childDateOfBirth: '2016-04-02',
    childPresent: 'yes',
    officerName: 'PC Example',
    officerPhone: '020 7230 1212',
    summary: 'Police attended a domestic incident at home last night.',
  }));
  return {
    service: 'police',
    organisation: METROPOLITAN_POLICE,
    path: '/v1/adapters/operation-encompass',
    body,
    events: rows,
  };
}

/** Children on Hillside's roll: an incident about each raises one Operation Encompass notification. */
export function rollsOf(children: readonly TestChild[]): Post[] {
  return children.map((child) => single('education', aPupilOnRoll(child, { onRollFrom: '2021-09-01' })));
}

export function incidentsAbout(children: readonly TestChild[]): Post[] {
  return children.map((child) => single('police', anIncident(child, { occurredAt: ago(3_600_000) })));
}

/** A single event from the council, health or education about a child of its own: no notification follows. */
export function aFillerEvent(i: number): Post {
  const child = aDistinctChild();
  switch (i % 3) {
    case 0:
      return single('council', aLeadPractitioner(child, { assignedDate: '2026-01-05', source: LEEDS }));
    case 1:
      return single('health', anAttendance(child, { arrivedAt: ago(2 * 3_600_000), source: LTH }));
    default:
      return single('education', aPupilOnRoll(child, { onRollFrom: '2022-09-01', source: HILLSIDE }));
  }
}

/** Filler events of one agency as one request of batched CloudEvents: no notification follows either. */
export function aFillerBatch(i: number, rows: number): Post {
  const posts = Array.from({ length: rows }, () => aFillerEvent(i));
  const { service, organisation } = posts[0]!;
  return {
    service,
    organisation,
    path: '/v1/events',
    body: posts.map((post) => toCloudEvent(post.body as JigsawEnvelope)),
    events: rows,
    contentType: BATCH_MEDIA_TYPE,
  };
}

/**
 * Sends a post until the hub answers, through `baseUrl` (a load balancer), and reads which events it holds
 * now: the one event of a 202, or each accepted or duplicate event of an adapter's report or of batched
 * CloudEvents' results.
 */
export async function send(
  baseUrl: string,
  post: Post,
  options: { deadline: number; timeoutMs: number },
): Promise<Acknowledged> {
  const url = `${baseUrl}${post.path}`;
  const batched = post.contentType === BATCH_MEDIA_TYPE;
  const answer =
    post.path === '/v1/events' && !batched
      ? await postUntilAnswered(url, post.organisation, post.body as JigsawEnvelope, options)
      : await postBodyUntilAnswered(url, post.organisation, post.body, {
          ...options,
          ...(post.contentType ? { contentType: post.contentType } : {}),
        });
  const keys: string[] = [];
  if (post.path === '/v1/events' && !batched && answer.status === 202) {
    keys.push(eventKey(post.organisation, (post.body as { id: string }).id));
  }
  // An adapter's report (200, rows) or batched CloudEvents' (207, results): each event accepted or held before.
  if (answer.status === 200 || answer.status === 207) {
    const report = answer.body as {
      rows?: { status: string; id?: string }[];
      results?: { status: string; id?: string }[];
    };
    for (const row of report.rows ?? report.results ?? [])
      if ((row.status === 'accepted' || row.status === 'duplicate') && row.id)
        keys.push(eventKey(post.organisation, row.id));
  }
  return { status: answer.status, attempts: answer.attempts, keys };
}
