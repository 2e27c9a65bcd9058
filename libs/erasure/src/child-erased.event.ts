import { AGENCIES, dataschemaFor, hubSource, type RecordedEvent } from '@jigsaw/envelope';
import { CHILD_ERASED } from '@jigsaw/contracts';
import { hubSubject } from './personal-data.js';

export { CHILD_ERASED };
export const ERASURE_SOURCE = hubSource('erasure');

/** Who erased: a data protection officer or someone acting on their decision. */
export interface ErasureActor {
  userId: string;
  role: string;
  organisation: string;
}

/** `data` of hub.child-erased (schemas/hub/child-erased/v1.json). */
export interface ChildErasedData {
  childId: string;
  erasedAt: string;
  keyGenerations: number[];
  erasedBy: { sub: string; role: string; organisation: string };
  reason: string;
}

/**
 * The topic erasures are published on, keyed by hub child id. Its own, so that only the read models' consumer
 * takes them: the identity consumer on hub.events shares that schema's applied-event marks.
 */
export function erasureTopic(prefix: string): string {
  return `${prefix}hub.erasures`;
}

export function erasureStreamOf(childId: string): string {
  return `erasure-${childId}`;
}

/** Resending the same erasure finds the same id, so a retry after a crash records it once. */
export function childErasedEventId(childId: string, keyGenerations: readonly number[]): string {
  return `child-erased-${childId}-g${keyGenerations.length > 0 ? Math.max(...keyGenerations) : 0}`;
}

export function isChildErased(
  event: Pick<RecordedEvent, 'type' | 'source'>,
): event is RecordedEvent<typeof CHILD_ERASED, ChildErasedData> {
  return event.type === CHILD_ERASED && event.source === ERASURE_SOURCE;
}

/**
 * The record that a child's personal data was erased. It carries none: the child is the hub child id. It is
 * shared with every agency's auditors and data protection officers, who must show each copy was removed.
 */
export function childErased(
  childId: string,
  keyGenerations: readonly number[],
  actor: ErasureActor,
  reason: string,
  now: Date,
): RecordedEvent<typeof CHILD_ERASED, ChildErasedData> {
  const at = now.toISOString();
  return {
    specversion: '1.0',
    id: childErasedEventId(childId, keyGenerations),
    source: ERASURE_SOURCE,
    type: CHILD_ERASED,
    time: at,
    dataschema: dataschemaFor(CHILD_ERASED, 1),
    datacontenttype: 'application/json',
    subject: hubSubject(childId),
    sharing: {
      basis: { lawfulBasis: 'legal-obligation', regime: 'uk-gdpr', specialCategory: false },
      consent: {
        status: 'not-applicable',
        reason: "An erasure must reach every copy of the child's personal data (UK GDPR Art 17 and 19)",
      },
      purposes: ['audit'],
      audience: AGENCIES.map((agency) => ({ agency, roles: ['auditor', 'data-protection-officer'] })),
      sensitivity: 'restricted',
      decidedBy: { role: actor.role, organisation: actor.organisation },
    },
    data: {
      childId,
      erasedAt: at,
      keyGenerations: [...keyGenerations],
      erasedBy: { sub: actor.userId, role: actor.role, organisation: actor.organisation },
      reason,
    },
    childid: childId,
    recordedtime: at,
  };
}
