import { randomUUID } from 'node:crypto';
import { dataschemaFor, type RecordedEvent } from '@jigsaw/envelope';
import type { StoredEvent } from '@jigsaw/event-store';
import { aPoliceSharingDecision, aRecordedEvent, METROPOLITAN_POLICE } from '@jigsaw/testing';

let position = 0;

/** An event as the store returns it, recorded at `recordedAt`, after every event made before it. */
export function stored(event: RecordedEvent, recordedAt: Date): StoredEvent {
  position += 1;
  return {
    streamId: `police-${event.childid}`,
    streamPosition: position,
    globalPosition: { transactionId: String(1000 + position), position: String(position) },
    event: { ...event, recordedtime: recordedAt.toISOString() },
    contentHash: `hash-${position}`,
    recordedAt,
  };
}

/** A Met incident shared with schools, councils and health for safeguarding, about `childid`. */
export function anIncident(childid: string, overrides: Partial<RecordedEvent> = {}): RecordedEvent {
  return {
    ...aRecordedEvent({ childid }),
    sharing: aPoliceSharingDecision({ purposes: ['safeguarding'] }),
    ...overrides,
  };
}

/** The Met's control event (`police.consent-withdrawn`, ...) about one of its records. */
export function aControl(
  kind: 'consent-withdrawn' | 'record-retracted' | 'record-restricted',
  target: RecordedEvent,
  reason: string,
): RecordedEvent {
  const time = new Date().toISOString();
  return {
    specversion: '1.0',
    id: `${kind}-${randomUUID()}`,
    source: METROPOLITAN_POLICE,
    type: `police.${kind}`,
    time,
    dataschema: dataschemaFor(kind, 1),
    subject: target.subject,
    sharing: {
      basis: { lawfulBasis: 'public-task', regime: 'uk-gdpr', specialCategory: false },
      consent: { status: 'not-applicable', reason: 'A control event about the agency’s own record' },
      purposes: ['safeguarding'],
      audience: [{ agency: 'police' }],
      sensitivity: 'standard',
      decidedBy: { role: 'Data protection officer', organisation: METROPOLITAN_POLICE },
    },
    data: { targetEventId: target.id, reason },
    childid: target.childid,
    recordedtime: time,
  };
}

/** A record an organisation made about the child itself, shared with nobody: it gives the organisation a relationship. */
export function aRecordBy(childid: string, organisation: string, type: string): RecordedEvent {
  const agency = organisation.split(':')[3] as 'council' | 'police' | 'health' | 'education';
  return anIncident(childid, {
    id: `own-${randomUUID()}`,
    source: organisation,
    type,
    data: {},
    sharing: { ...aPoliceSharingDecision({ purposes: ['safeguarding'] }), audience: [{ agency }] },
  });
}
