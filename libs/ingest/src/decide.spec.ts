import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { CONSENT_STATUSES, type JigsawEnvelope } from '@jigsaw/envelope';
import { anIncidentNotification, aPoliceSharingDecision, deciderSpec } from '@jigsaw/testing';
import { agencyDecider } from './decide.js';
import type { EventTypeDefinition } from './event-type.js';

const NOW = new Date('2026-11-21T09:00:00Z');
const CHILD = '7b0d3f0e-2f6c-4b55-9d0a-6a8c0f1e2d3c';
const spec = deciderSpec(agencyDecider);
/** A type with no rules of its own: what is left is the rules every record meets. */
const plain: EventTypeDefinition = {
  type: 'police.domestic-abuse-incident-notified',
  version: 1,
};

const withConsent = (consent: JigsawEnvelope['sharing']['consent'], time = '2026-11-21T08:00:00Z') => ({
  ...anIncidentNotification({ occurredAt: '2026-11-20T22:00:00Z' }),
  time,
  sharing: aPoliceSharingDecision({ consent }),
});
const command = (envelope: JigsawEnvelope) => ({ envelope, definition: plain, childId: CHILD, now: NOW });
const REASON_REQUIRED = {
  problems: [
    { field: 'sharing.consent.reason', reason: 'is required whenever sharing goes ahead without consent' },
  ],
};

describe('the ingest consent rule', () => {
  it('given nothing, when a record shared with consent arrives, then it is recorded for the child at the time decided', () => {
    const envelope = withConsent({ status: 'given' });
    spec
      .given([])
      .when(command(envelope))
      .then([{ ...envelope, childid: CHILD, recordedtime: NOW.toISOString() }]);
  });

  it('given nothing, when a record shared without consent gives no reason, then it is refused naming the field', () => {
    spec
      .given([])
      .when(command(withConsent({ status: 'not-sought' })))
      .thenRefused(REASON_REQUIRED);
    spec
      .given([])
      .when(command(withConsent({ status: 'refused', reason: '   ' })))
      .thenRefused(REASON_REQUIRED);
  });

  it('given nothing, when a record shared without consent gives its reason, then it is recorded', () => {
    spec
      .given([])
      .when(
        command(withConsent({ status: 'refused', reason: 'Seeking consent would place the child at risk' })),
      )
      .then((events) => expect(events).toHaveLength(1));
  });

  it('given nothing, when a record is dated more than a minute ahead of the clock, then its time is refused too', () => {
    spec
      .given([])
      .when(command(withConsent({ status: 'not-applicable' }, '2026-11-21T09:01:30Z')))
      .thenRefused({
        problems: [
          { field: 'time', reason: 'must not be in the future' },
          {
            field: 'sharing.consent.reason',
            reason: 'is required whenever sharing goes ahead without consent',
          },
        ],
      });
  });

  it('accepts a record exactly when consent was given or a reason is written (both ways)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CONSENT_STATUSES),
        fc.option(fc.oneof(fc.constantFrom('', ' ', '\t\n'), fc.string({ maxLength: 20 })), {
          nil: undefined,
        }),
        (status, reason) => {
          const when = spec
            .given([])
            .when(command(withConsent({ status, ...(reason === undefined ? {} : { reason }) })));
          if (status === 'given' || (reason ?? '').trim() !== '')
            when.then((events) => expect(events).toHaveLength(1));
          else when.thenRefused(REASON_REQUIRED);
        },
      ),
    );
  });
});
