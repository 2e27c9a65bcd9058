import { agencyOfSource, type RecordedEvent } from '@jigsaw/envelope';
import { eventKeyOf } from '@jigsaw/projection';
import {
  type DataOf,
  isTyped,
  type Loose,
  looseObject,
  type LooseData,
  CHILD_MISSING_EDUCATION_REPORTED,
  DOMESTIC_ABUSE_INCIDENT_NOTIFIED,
  ELECTIVE_HOME_EDUCATION_NOTIFIED,
  KEY_ADULT_REGISTERED,
  PUPIL_ON_ROLL,
} from '@jigsaw/contracts';
import type { Addressee, NewNotification, Route, School } from '@jigsaw/view-model';
import { mayReceive, recipientOf, recordedBefore, type Recipient } from './recipients.js';
import {
  careStatuses,
  isIsoDate,
  londonDateOf,
  standingOn,
  type ChildHistory,
  type SchoolCalendar,
} from '@jigsaw/view-model';

export { DOMESTIC_ABUSE_INCIDENT_NOTIFIED };

/** The records that say where a child is educated; the school directory is learnt from the first two. */
export const EDUCATION_PLACEMENT_TYPES = [
  PUPIL_ON_ROLL,
  KEY_ADULT_REGISTERED,
  ELECTIVE_HOME_EDUCATION_NOTIFIED,
  CHILD_MISSING_EDUCATION_REPORTED,
] as const;

/** A school the hub knows by its URN, from any child's roll: whom a force's school URN means. */
export interface KnownSchool extends School {
  organisation: string;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function schoolIn(data: LooseData<typeof PUPIL_ON_ROLL>): School | undefined {
  const school = looseObject<DataOf<typeof PUPIL_ON_ROLL>['school']>(data.school);
  const urn = str(school?.urn);
  const name = str(school?.name);
  return urn && name ? { urn, name } : undefined;
}

type Placement =
  | { kind: 'on-roll'; date: string; event: RecordedEvent; school?: School; dsl?: Addressee }
  | { kind: 'home-educated' | 'missing-education'; date: string; event: RecordedEvent };

/** Where the child was educated on a date: the latest standing roll, home education or missing report. */
function placementOn(history: ChildHistory, date: string): Placement | undefined {
  let latest: Placement | undefined;
  for (const standing of history.standing(
    PUPIL_ON_ROLL,
    ELECTIVE_HOME_EDUCATION_NOTIFIED,
    CHILD_MISSING_EDUCATION_REPORTED,
  )) {
    const { event } = standing;
    let placement: Placement | undefined;
    if (standing.type === PUPIL_ON_ROLL) {
      const { data } = standing;
      const from = str(data.onRollFrom);
      const dsl = looseObject<DataOf<typeof PUPIL_ON_ROLL>['dsl']>(data.dsl);
      const dslName = str(dsl?.name);
      placement = from
        ? {
            kind: 'on-roll',
            date: from,
            event,
            ...(schoolIn(data) ? { school: schoolIn(data) } : {}),
            ...(dslName
              ? {
                  dsl: {
                    name: dslName,
                    role: 'designated-safeguarding-lead',
                    ...(str(dsl?.phone) ? { phone: str(dsl?.phone) } : {}),
                    ...(str(dsl?.secureEmail) ? { secureEmail: str(dsl?.secureEmail) } : {}),
                  },
                }
              : {}),
          }
        : undefined;
    } else if (standing.type === ELECTIVE_HOME_EDUCATION_NOTIFIED) {
      const off = str(standing.data.offRollOn);
      placement = off ? { kind: 'home-educated', date: off, event } : undefined;
    } else {
      const reported = str(standing.data.reportedOn);
      placement = reported ? { kind: 'missing-education', date: reported, event } : undefined;
    }
    if (!placement || !isIsoDate(placement.date) || placement.date > date) continue;
    // Later in effect wins; on the same day, the later record.
    if (!latest || placement.date >= latest.date) latest = placement;
  }
  return latest;
}

/** The school's registered key adult for this pupil, else the DSL named on the roll. */
function addresseeAt(
  history: ChildHistory,
  school: string,
  roll: Placement & { kind: 'on-roll' },
): Addressee | undefined {
  const registered = history
    .standing(KEY_ADULT_REGISTERED)
    .filter(({ event }) => event.source === school)
    .at(-1);
  const keyAdult = looseObject<DataOf<typeof KEY_ADULT_REGISTERED>['keyAdult']>(registered?.data.keyAdult);
  const name = str(keyAdult?.name);
  const role = str(keyAdult?.role);
  if (name && role) {
    return {
      name,
      role,
      ...(str(keyAdult?.phone) ? { phone: str(keyAdult?.phone) } : {}),
      ...(str(keyAdult?.secureEmail) ? { secureEmail: str(keyAdult?.secureEmail) } : {}),
    };
  }
  return roll.dsl;
}

/**
 * Councils that may be responsible for the child, most likely first: those with a plan or period of care
 * in force on the date, then any other council that has recorded something about the child, latest first.
 */
export function councilsFor(history: ChildHistory, date: string): string[] {
  const inForce = careStatuses(history)
    .filter((s) => standingOn(s, date) === 'in-force')
    .map((s) => s.council);
  const recorded = history.events
    .filter((e) => agencyOfSource(e.source) === 'council' && history.stands(e))
    .map((e) => e.source)
    .reverse();
  return [...new Set([...inForce, ...recorded])];
}

/** When the incident happened, from the data's own time, else the envelope's. */
export function occurredAtOf(event: RecordedEvent, data: Loose<{ occurredAt: string }>): Date | undefined {
  const at = new Date(str(data.occurredAt) ?? event.time);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

/**
 * Operation Encompass: the child's school hears of a domestic abuse incident before 08:30 on the next
 * school day. A child on no roll, home educated or missing education: the council instead. The recipient
 * must be able to see the incident under the force's own sharing decision; when no school or council can,
 * the notification goes back to the force, which must act itself.
 */
export function decideEncompass(
  incident: RecordedEvent,
  history: ChildHistory,
  context: {
    now: Date;
    calendar: SchoolCalendar;
    notBefore: Date;
    schoolByUrn?: (urn: string) => KnownSchool | undefined;
  },
): NewNotification | undefined {
  if (!isTyped(incident, DOMESTIC_ABUSE_INCIDENT_NOTIFIED)) return undefined;
  const data = history.standingData(incident);
  if (!data) return undefined;
  const occurredAt = occurredAtOf(incident, data);
  if (!occurredAt || recordedBefore(incident, context.notBefore)) return undefined;
  const force = recipientOf(incident.source);
  if (!force) return undefined;
  const day = londonDateOf(occurredAt);
  const key = eventKeyOf(incident);
  const may = (r: Recipient): boolean => mayReceive(r, incident, history, context.now);

  const notification = (
    recipient: Recipient,
    route: Route,
    details: NewNotification['details'] = {},
  ): NewNotification => ({
    dedupeKey: `operation-encompass|${key}`,
    kind: 'operation-encompass',
    childId: incident.childid,
    triggerEventKey: key,
    recipient,
    route,
    details,
    // The force keeps its own incident: a deadline for itself would only escalate to itself.
    ...(route === 'no-recipient' ? {} : { dueAt: context.calendar.nextSchoolDayStart(occurredAt) }),
  });

  const placement = placementOn(history, day);
  let councilRoute: Route;
  if (placement?.kind === 'on-roll') {
    const school = recipientOf(placement.event.source);
    if (school && may(school)) {
      const addressee = addresseeAt(history, school.organisation, placement);
      return notification(school, 'school-roll', {
        ...(placement.school ? { school: placement.school } : {}),
        ...(addressee ? { addressee } : {}),
      });
    }
    councilRoute = 'school-not-in-audience';
  } else if (placement) {
    councilRoute = placement.kind;
  } else {
    const urn = str(data.schoolUrn);
    const known = urn ? context.schoolByUrn?.(urn) : undefined;
    const school = known ? recipientOf(known.organisation) : undefined;
    if (known && school && may(school)) {
      return notification(school, 'school-named-by-police', { school: { urn: known.urn, name: known.name } });
    }
    councilRoute = known ? 'school-not-in-audience' : 'not-on-roll';
  }

  for (const council of councilsFor(history, day)) {
    const recipient = recipientOf(council);
    if (recipient && may(recipient)) return notification(recipient, councilRoute);
  }
  return notification(force, 'no-recipient');
}
