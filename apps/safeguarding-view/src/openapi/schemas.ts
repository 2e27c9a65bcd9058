import type { SchemaObject } from '@nestjs/swagger';
import { AGENCIES, PURPOSES } from '@jigsaw/envelope';
import { SIGNAL_CODES } from '../view/child-view.js';

const string = { type: 'string' } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;
const agency = { type: 'string', enum: [...AGENCIES] };

const CONTACT: SchemaObject = {
  type: 'object',
  properties: {
    name: string,
    role: string,
    team: string,
    phone: string,
    outOfHoursPhone: string,
    email: string,
  },
};

const STATUS: SchemaObject = {
  type: 'object',
  required: ['current'],
  description:
    'On what this viewer may see: a record the viewer may not see reads as not current, so `current: false` never means "known not to be".',
  properties: {
    current: { type: 'boolean' },
    since: { ...string, description: 'Start of the current episode, or of the last one.' },
    ended: { ...string, description: 'End of the last episode, when none is current.' },
    organisation: { ...string, description: 'The organisation whose record it is.' },
    details: {
      type: 'object',
      additionalProperties: true,
      description: "The record's details the viewer's cut kept: a plan's category, a school's name...",
    },
  },
};

const EVIDENCE: SchemaObject = {
  type: 'object',
  required: ['id', 'source', 'agency', 'type', 'at'],
  properties: { id: string, source: string, agency, type: string, at: dateTime },
};

export const CHILD_VIEW_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['childId', 'purpose', 'asAt', 'statuses', 'agencies', 'counts', 'signals'],
  properties: {
    childId: { type: 'string', format: 'uuid' },
    purpose: { type: 'string', enum: [...PURPOSES] },
    asAt: dateTime,
    statuses: {
      type: 'object',
      required: [
        'childProtectionPlan',
        'lookedAfter',
        'childInNeed',
        'familyHelp',
        'schoolOnRoll',
        'electiveHomeEducation',
        'missing',
      ],
      properties: {
        childProtectionPlan: STATUS,
        lookedAfter: STATUS,
        childInNeed: STATUS,
        familyHelp: STATUS,
        schoolOnRoll: STATUS,
        electiveHomeEducation: STATUS,
        missing: STATUS,
      },
    },
    agencies: {
      type: 'array',
      items: {
        type: 'object',
        required: ['agency', 'organisation', 'records', 'firstEventAt', 'lastEventAt'],
        properties: {
          agency,
          organisation: string,
          records: { type: 'integer', description: 'How many of its records this viewer may see.' },
          firstEventAt: dateTime,
          lastEventAt: dateTime,
          leadPractitioner: {
            ...CONTACT,
            properties: { ...CONTACT.properties, from: string, since: string },
            description: 'Whom to call there, from its latest record naming someone.',
          },
        },
      },
    },
    counts: {
      type: 'object',
      description: 'Over the twelve months up to `asAt`, of the records this viewer may see.',
      required: ['since', 'emergencyAttendances', 'domesticAbuseIncidents', 'missingEpisodes', 'exclusions'],
      properties: {
        since: dateTime,
        emergencyAttendances: { type: 'integer' },
        domesticAbuseIncidents: { type: 'integer' },
        missingEpisodes: { type: 'integer' },
        exclusions: { type: 'integer', description: 'Suspensions and permanent exclusions.' },
      },
    },
    signals: {
      type: 'array',
      items: {
        type: 'object',
        required: ['code', 'explanation', 'evidence'],
        properties: {
          code: { type: 'string', enum: [...SIGNAL_CODES] },
          explanation: string,
          evidence: { type: 'array', items: EVIDENCE },
        },
      },
    },
    cpis: {
      type: 'object',
      description:
        'Health viewers only: as CP-IS, on a child protection plan or looked after, and the council to call. ' +
        '`not-flagged`: no plan or care known to the hub; `not-visible`: one exists that you may not see.',
      required: ['state'],
      properties: {
        state: { type: 'string', enum: ['flagged', 'not-flagged', 'not-visible'] },
        rule: {
          type: 'string',
          enum: ['cp-is-minimal-flag'],
          description: 'Present when the minimal CP-IS flag for unscheduled care answered, not sharing.',
        },
        childProtectionPlan: STATUS,
        lookedAfter: STATUS,
        council: { type: 'object', properties: { organisation: string, contact: CONTACT } },
      },
    },
  },
};

const ENTRY: SchemaObject = {
  type: 'object',
  required: ['id', 'source', 'type', 'time', 'childid', 'level', 'reason', 'sharing', 'markers', 'corrected'],
  properties: {
    id: string,
    source: string,
    type: string,
    agency,
    time: dateTime,
    occurredAt: { ...dateTime, description: 'When it happened.' },
    recordedAt: { ...dateTime, description: 'When the hub recorded it.' },
    summary: { ...string, description: "One line, made from the viewer's own cut of the data." },
    childid: { type: 'string', format: 'uuid' },
    level: { type: 'string', enum: ['full', 'skeleton'] },
    reason: { ...string, description: 'The sharing rule that let the viewer see it.' },
    data: { type: 'object', additionalProperties: true, description: "Cut to the viewer's agency." },
    subject: { type: 'object', additionalProperties: true, description: "The owner's only." },
    sharing: { type: 'object', additionalProperties: true },
    markers: { type: 'array', items: string },
    corrected: { type: 'boolean' },
    standing: {
      type: 'object',
      additionalProperties: { type: 'boolean' },
      description: 'Owner and auditors.',
    },
  },
};

export const CHRONOLOGY_PAGE_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['childId', 'purpose', 'entries'],
  properties: {
    childId: { type: 'string', format: 'uuid' },
    purpose: { type: 'string', enum: [...PURPOSES] },
    entries: { type: 'array', items: ENTRY },
    nextCursor: { ...string, description: 'Pass as `cursor` for the next page; absent on the last page.' },
  },
};

export const FIND_CHILD_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['childId'],
  properties: { childId: { type: 'string', format: 'uuid' } },
};

/** Who read or claimed: the practitioner's subject, organisation, agency and role, never their name. */
export const READER_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['sub', 'organisation', 'agency', 'role'],
  properties: { sub: string, organisation: string, agency, role: string },
};
