import {
  AGENCIES,
  agencyOfSource,
  type Agency,
  type ChildSubject,
  type RecordedEvent,
  type SharingDecision,
} from '@jigsaw/envelope';
import { contractOf } from '@jigsaw/contracts';
import { allowFields, type Redaction } from './field-allow-list.js';
import { isRecord } from './is-record.js';
import {
  decideVisibility,
  sharingExpired,
  type VisibilityLevel,
  type VisibilityReason,
} from './sharing-policy.js';
import type { ChildAccess } from './legitimate-relationship.js';
import type { SharingState } from './sharing-state.js';
import type { Viewer } from './viewer.js';

/** Where an event's sharing stands; reasons stay in the owner's own control events. */
export interface Standing {
  withdrawn: boolean;
  restricted: boolean;
  retracted: boolean;
  expired: boolean;
}

/** An event as one viewer may see it. */
export interface ViewableEvent {
  id: string;
  source: string;
  type: string;
  time: string;
  /** The pseudonymous hub child id: the only way a non-owner knows whom the event is about. */
  childid: string;
  agency: Agency | undefined;
  level: VisibilityLevel;
  reason: VisibilityReason;
  /** The owner's only. */
  subject?: ChildSubject;
  /** Absent in skeletons, and for non-owners of a type without a redaction rule. */
  data?: Record<string, unknown>;
  /** The whole decision for the owner and auditors; basis and purposes for everyone else. */
  sharing: SharingDecision | Pick<SharingDecision, 'basis' | 'purposes'>;
  /** Protective markers in force; their shielded fields are already gone for non-owners. */
  markers: string[];
  /** Whether corrections were applied to `data`. */
  corrected: boolean;
  /** For the owner and auditors. */
  standing?: Standing;
}

/**
 * Field names each protective marker hides, at any depth of `data`, from everyone but the owner.
 * A marker not listed here hides all of them: an unknown shield must not leak.
 */
export const SHIELDED_FIELDS: Readonly<Record<string, RegExp>> = {
  'concealed-address': /^(address|addresses|addressLines?|postcode|postalCode|location|uprn|gridReference)$/i,
  adoption: /^(birthFamily|birthParents?|birthMother|birthFather|birthNames?|formerNames?|previousNames?)$/i,
};

/** Child identifiers are never shown to non-owners, wherever an agency put them. */
const IDENTIFIER_FIELDS = /^(nhsNumber|upn|localIds)$/i;

/** The cut of a type's data for non-owners: its contract's audience, or none for a type without one. */
export function redactionFor(type: string): Redaction | undefined {
  const audience = contractOf(type)?.audience;
  return audience ? allowFields(audience) : undefined;
}

/** Drops matching keys, and strings carrying one of the child's identifiers, at any depth. */
function scrub(
  value: unknown,
  dropKey: (key: string) => boolean,
  dropString: (s: string) => boolean,
): unknown {
  if (typeof value === 'string') return dropString(value) ? undefined : value;
  if (Array.isArray(value)) {
    return value.map((item) => scrub(item, dropKey, dropString)).filter((item) => item !== undefined);
  }
  if (!isRecord(value)) return value;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (dropKey(key)) continue;
    const kept = scrub(item, dropKey, dropString);
    if (kept !== undefined) result[key] = kept;
  }
  return result;
}

function shieldFor(markers: readonly string[]): (key: string) => boolean {
  const patterns = markers.flatMap((marker) => {
    const known = SHIELDED_FIELDS[marker];
    return known ? [known] : Object.values(SHIELDED_FIELDS);
  });
  return (key) => IDENTIFIER_FIELDS.test(key) || patterns.some((pattern) => pattern.test(key));
}

function identifierIn(subject: ChildSubject): (s: string) => boolean {
  const long = [subject.nhsNumber, subject.upn].filter((id): id is string => !!id);
  const local = new Set((subject.localIds ?? []).map((id) => id.value));
  return (s) => local.has(s) || long.some((id) => s.includes(id));
}

/**
 * The event as this viewer may see it, or undefined when they may not see it at all. The decision is
 * `decideVisibility`'s; this only cuts the event down to it, by the type's cut (`redactionOf`, the
 * registry's but in tests proving that identifiers and shielded fields go whatever a cut lets through).
 */
export function redactForViewer(
  viewer: Viewer,
  event: RecordedEvent,
  state: SharingState,
  now: Date,
  access: ChildAccess,
  redactionOf: (type: string) => Redaction | undefined = redactionFor,
): ViewableEvent | undefined {
  const decision = decideVisibility(viewer, event, state, now, access);
  if (!decision.visible) return undefined;
  const source = agencyOfSource(event.source);
  const markers = [...new Set([...(event.sharing.markers ?? []), ...state.markers])].sort();
  const corrected = state.corrected.length > 0;
  const base = {
    id: event.id,
    source: event.source,
    type: event.type,
    time: event.time,
    childid: event.childid,
    agency: AGENCIES.find((agency) => agency === source),
    level: decision.level,
    reason: decision.reason,
    markers,
    corrected,
  };
  const standing: Standing = {
    withdrawn: state.withdrawn !== undefined,
    restricted: state.restricted !== undefined,
    retracted: state.retracted !== undefined,
    expired: sharingExpired(event.sharing.until, now) || sharingExpired(state.sharingEndsAt, now),
  };
  if (decision.level === 'skeleton') return { ...base, sharing: structuredClone(event.sharing), standing };

  // Corrections replace the original for everyone, owner included.
  const data: Record<string, unknown> = { ...(isRecord(event.data) ? event.data : {}), ...state.corrections };
  if (decision.reason === 'owner') {
    return {
      ...base,
      subject: structuredClone(event.subject),
      data: structuredClone(data),
      sharing: structuredClone(event.sharing),
      standing,
    };
  }
  const sharing = structuredClone({ basis: event.sharing.basis, purposes: event.sharing.purposes });
  const redaction = redactionOf(event.type);
  // Never leak by default: an unknown type shows only that it happened.
  if (!redaction) return { ...base, sharing };
  const cut = scrub(redaction(data, viewer), shieldFor(markers), identifierIn(event.subject));
  return { ...base, sharing, data: isRecord(cut) ? cut : {} };
}
