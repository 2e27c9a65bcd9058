import {
  ASSESSMENT_COMPLETED,
  ASSESSMENT_STARTED,
  CHILD_IN_NEED_PLAN_ENDED,
  CHILD_IN_NEED_PLAN_STARTED,
  CHILD_PROTECTION_PLAN_ENDED,
  CHILD_PROTECTION_PLAN_STARTED,
  REFERRAL_DECIDED,
  REFERRAL_RECEIVED,
} from '@jigsaw/contracts';
import type { FieldProblem } from '@jigsaw/errors';
import {
  dataschemaFor,
  type ChildSubject,
  type JigsawEnvelope,
  type SharingDecision,
} from '@jigsaw/envelope';
import { isUnknownUpnCode, nhsNumberProblem, upnProblem } from '@jigsaw/identity';
import { parseExportDate, rowEventId } from '@jigsaw/ingest';
import { PRIMARY_NEEDS, REFERRAL_SOURCES } from '../referral/referral.events.js';

/**
 * One child's referral episode, coded as in the Children in Need census (field names as in the DfE
 * specification). A few fields the census lacks but the hub needs are ours: ReferralDecision and
 * ReferralDecisionDate, AssessmentOutcome, CPPendReason and CouncilContact (CP-IS shows clinicians whom to
 * call). NHSNumber is not a census field either; councils hold it and it is how health finds the child.
 * Fields we do not read (ethnicity, disabilities, ...) are ignored: the hub takes only what it shares.
 */
export interface CinCensusRecord {
  LAchildID: string;
  UPN?: string;
  NHSNumber?: string;
  PersonBirthDate?: string;
  CINreferralDate: string;
  ReferralSource: string;
  PrimaryNeedCode: string;
  ReferralNFA?: boolean;
  ReferralDecision?: string;
  ReferralDecisionDate?: string;
  Assessments?: {
    AssessmentActualStartDate: string;
    AssessmentAuthorisationDate?: string;
    AssessmentOutcome?: string;
    AssessmentFactors?: string[];
  }[];
  CINPlanDates?: { CINPlanStartDate: string; CINPlanEndDate?: string }[];
  ChildProtectionPlans?: {
    CPPstartDate: string;
    CPPendDate?: string;
    InitialCategoryOfAbuse: string;
    LatestCategoryOfAbuse?: string;
    CPPendReason?: string;
  }[];
  CouncilContact?: { Team: string; Phone: string; OutOfHoursPhone: string };
}

/** One event a record yields, and how its fields are named in the record, to report problems in its terms. */
export interface PlannedEvent {
  envelope: JigsawEnvelope<string, Record<string, unknown>>;
  /** Envelope field (`data.endDate`, `subject.nhsNumber`, `time`) to record field (`ChildProtectionPlans[0].CPPendDate`). */
  fields: Readonly<Record<string, string>>;
}

export type CinRecordReading = { problems: FieldProblem[] } | { events: PlannedEvent[] };

export interface CinCensusContext {
  source: string;
  /** Keys the event ids, so re-sending a record yields the same ids and they reveal no identifier. */
  secret: string;
}

/**
 * Children's social care records are largely special category (a child's disability as primary need,
 * sexual abuse as category), so every share rests on Sch 1 para 18 as well as public task. Consent is
 * not the basis: seeking it from a parent could put the child at risk, and the duty to share applies.
 */
export function cinSharing(source: string): SharingDecision {
  return {
    basis: {
      lawfulBasis: 'public-task',
      regime: 'uk-gdpr',
      specialCategory: true,
      condition: 'dpa-2018-sch1-para18',
    },
    consent: {
      status: 'not-sought',
      reason:
        "Statutory children's social care record shared with safeguarding partners; seeking consent could place the child at risk",
    },
    purposes: ['safeguarding', 'child-protection'],
    audience: [{ agency: 'council' }, { agency: 'health' }, { agency: 'education' }, { agency: 'police' }],
    sensitivity: 'sensitive',
    decidedBy: {
      role: 'CIN census adapter (partnership information sharing agreement)',
      organisation: source,
    },
  };
}

const DATE = 'must be a real date (YYYY-MM-DD)';

/** Reads an untyped record, naming each problem by its path in the record. */
class Reader {
  readonly problems: FieldProblem[] = [];

  constructor(private readonly record: Record<string, unknown>) {}

  private at(path: string): unknown {
    let value: unknown = this.record;
    for (const segment of path.split(/\.|\[(\d+)\]/).filter(Boolean)) {
      value =
        typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[segment] : undefined;
    }
    return value;
  }

  problem(field: string, reason: string): undefined {
    this.problems.push({ field, reason });
    return undefined;
  }

  text(path: string, required = false): string | undefined {
    const value = this.at(path);
    if (value === undefined || value === null || value === '')
      return required ? this.problem(path, 'is required') : undefined;
    if (typeof value !== 'string') return this.problem(path, 'must be a string');
    return value.trim();
  }

  date(path: string, required = false): string | undefined {
    const value = this.text(path, required);
    if (value === undefined) return undefined;
    return /^\d{4}-\d{2}-\d{2}$/.test(value) && parseExportDate(value) ? value : this.problem(path, DATE);
  }

  bool(path: string): boolean | undefined {
    const value = this.at(path);
    if (value === undefined || value === null) return undefined;
    return typeof value === 'boolean' ? value : this.problem(path, 'must be true or false');
  }

  list(path: string): Record<string, unknown>[] {
    const value = this.at(path);
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) return this.problem(path, 'must be an array') ?? [];
    return value.flatMap((item, i) =>
      typeof item === 'object' && item !== null && !Array.isArray(item)
        ? [item as Record<string, unknown>]
        : (this.problem(`${path}[${i}]`, 'must be an object') ?? []),
    );
  }

  strings(path: string): string[] | undefined {
    const value = this.at(path);
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
      return this.problem(path, 'must be an array of strings');
    }
    return value as string[];
  }
}

const midnight = (date: string): string => `${date}T00:00:00Z`;

/**
 * Turns one census record into the events it stands for, in the order they happened, or the problems
 * that stop it. Pure: the same record always yields the same events, with the same ids.
 */
export function readCinRecord(item: unknown, context: CinCensusContext): CinRecordReading {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return { problems: [{ field: '(record)', reason: 'must be an object' }] };
  }
  const r = new Reader(item as Record<string, unknown>);
  const laChildId = r.text('LAchildID', true);
  if (laChildId !== undefined && laChildId.length > 100)
    r.problem('LAchildID', 'must be at most 100 characters');
  const upn = r.text('UPN');
  if (upn !== undefined && !isUnknownUpnCode(upn) && upnProblem(upn)) {
    r.problem('UPN', `${upnProblem(upn)} (or UN1 to UN5 where it is not known)`);
  }
  const nhsNumber = r.text('NHSNumber');
  if (nhsNumber !== undefined && nhsNumberProblem(nhsNumber))
    r.problem('NHSNumber', nhsNumberProblem(nhsNumber)!);
  const birthDate = r.date('PersonBirthDate');
  const referralDate = r.date('CINreferralDate', true);
  const referralSource = r.text('ReferralSource', true);
  const primaryNeed = r.text('PrimaryNeedCode', true);
  const nfa = r.bool('ReferralNFA');
  const decision = r.text('ReferralDecision');
  const decisionDate = r.date('ReferralDecisionDate');
  if (nfa === true && decision !== undefined && decision !== 'no-further-action') {
    r.problem('ReferralDecision', 'contradicts ReferralNFA true');
  }
  if (decision !== undefined && decision !== 'no-further-action' && decisionDate === undefined) {
    r.problem('ReferralDecisionDate', 'is required with ReferralDecision');
  }
  if (decisionDate !== undefined && decision === undefined && nfa !== true) {
    r.problem('ReferralDecision', 'is required with ReferralDecisionDate (or set ReferralNFA)');
  }

  const assessments = r.list('Assessments').map((_, i) => {
    const path = `Assessments[${i}]`;
    const start = r.date(`${path}.AssessmentActualStartDate`, true);
    const end = r.date(`${path}.AssessmentAuthorisationDate`);
    const outcome = r.text(`${path}.AssessmentOutcome`);
    if (end !== undefined && outcome === undefined)
      r.problem(`${path}.AssessmentOutcome`, 'is required once the assessment is authorised');
    return { path, start, end, outcome, factors: r.strings(`${path}.AssessmentFactors`) };
  });
  const cinPlans = r.list('CINPlanDates').map((_, i) => {
    const path = `CINPlanDates[${i}]`;
    return { path, start: r.date(`${path}.CINPlanStartDate`, true), end: r.date(`${path}.CINPlanEndDate`) };
  });
  const cpps = r.list('ChildProtectionPlans').map((_, i) => {
    const path = `ChildProtectionPlans[${i}]`;
    return {
      path,
      start: r.date(`${path}.CPPstartDate`, true),
      end: r.date(`${path}.CPPendDate`),
      initial: r.text(`${path}.InitialCategoryOfAbuse`, true),
      latest: r.text(`${path}.LatestCategoryOfAbuse`),
      reason: r.text(`${path}.CPPendReason`),
    };
  });
  const contact =
    cpps.length > 0
      ? {
          team: r.text('CouncilContact.Team', true),
          phone: r.text('CouncilContact.Phone', true),
          outOfHoursPhone: r.text('CouncilContact.OutOfHoursPhone', true),
        }
      : undefined;
  if (r.problems.length > 0 || laChildId === undefined || referralDate === undefined)
    return { problems: r.problems };

  const { source, secret } = context;
  const subject: ChildSubject = {
    ...(nhsNumber !== undefined ? { nhsNumber } : {}),
    ...(upn !== undefined && !isUnknownUpnCode(upn) ? { upn } : {}),
    // The council's own id, scoped by council: two councils' child 123 are different children.
    localIds: [{ system: `${source}/LAchildID`, value: laChildId }],
    ...(birthDate !== undefined ? { birthDate } : {}),
  };
  const subjectFields = {
    'subject.nhsNumber': 'NHSNumber',
    'subject.upn': 'UPN',
    'subject.localIds': 'LAchildID',
    'subject.birthDate': 'PersonBirthDate',
  };
  const sharing = cinSharing(source);
  const events: PlannedEvent[] = [];
  const plan = (
    type: string,
    date: string,
    key: string,
    data: Record<string, unknown>,
    fields: Record<string, string>,
  ): void => {
    events.push({
      envelope: {
        specversion: '1.0',
        id: rowEventId('cin', type.slice('council.'.length), secret, source, laChildId, referralDate, key),
        source,
        type,
        time: midnight(date),
        dataschema: dataschemaFor(type, 1),
        subject: structuredClone(subject),
        sharing: structuredClone(sharing),
        data,
      },
      fields: { ...subjectFields, ...fields },
    });
  };

  const referralLabel = `Referral from ${REFERRAL_SOURCES[referralSource!] ?? 'an unknown source'}; primary need: ${PRIMARY_NEEDS[primaryNeed!] ?? 'not stated'}.`;
  plan(
    REFERRAL_RECEIVED,
    referralDate,
    'referral',
    {
      receivedAt: midnight(referralDate),
      referralSource,
      primaryNeedCode: primaryNeed,
      summary: referralLabel,
    },
    {
      time: 'CINreferralDate',
      'data.receivedAt': 'CINreferralDate',
      'data.referralSource': 'ReferralSource',
      'data.primaryNeedCode': 'PrimaryNeedCode',
    },
  );
  const decided = nfa === true ? 'no-further-action' : decision;
  if (decided !== undefined) {
    const at = decisionDate ?? referralDate;
    const decisionField = nfa === true ? 'ReferralNFA' : 'ReferralDecision';
    plan(
      REFERRAL_DECIDED,
      at,
      'decision',
      { receivedAt: midnight(referralDate), decidedAt: midnight(at), decision: decided },
      {
        time: decisionDate ? 'ReferralDecisionDate' : 'CINreferralDate',
        'data.receivedAt': 'CINreferralDate',
        'data.decidedAt': decisionDate ? 'ReferralDecisionDate' : 'CINreferralDate',
        'data.decision': decisionField,
      },
    );
  }
  // Episodes in the order they began, so that each end follows its start.
  const byStart = <T extends { start?: string }>(items: T[]): T[] =>
    [...items].sort((a, b) => (a.start ?? '').localeCompare(b.start ?? ''));
  for (const a of byStart(assessments)) {
    const start = a.start!;
    const startField = `${a.path}.AssessmentActualStartDate`;
    plan(
      ASSESSMENT_STARTED,
      start,
      `assessment:${start}`,
      { startDate: start },
      { time: startField, 'data.startDate': startField },
    );
    if (a.end !== undefined) {
      const endField = `${a.path}.AssessmentAuthorisationDate`;
      plan(
        ASSESSMENT_COMPLETED,
        a.end,
        `assessment-end:${start}`,
        {
          startDate: start,
          endDate: a.end,
          outcome: a.outcome,
          ...(a.factors ? { factors: a.factors } : {}),
        },
        {
          time: endField,
          'data.startDate': startField,
          'data.endDate': endField,
          'data.outcome': `${a.path}.AssessmentOutcome`,
          'data.factors': `${a.path}.AssessmentFactors`,
        },
      );
    }
  }
  for (const p of byStart(cinPlans)) {
    const start = p.start!;
    const startField = `${p.path}.CINPlanStartDate`;
    plan(
      CHILD_IN_NEED_PLAN_STARTED,
      start,
      `cin-plan:${start}`,
      { startDate: start },
      { time: startField, 'data.startDate': startField },
    );
    if (p.end !== undefined) {
      const endField = `${p.path}.CINPlanEndDate`;
      plan(
        CHILD_IN_NEED_PLAN_ENDED,
        p.end,
        `cin-plan-end:${start}`,
        { startDate: start, endDate: p.end },
        { time: endField, 'data.startDate': startField, 'data.endDate': endField },
      );
    }
  }
  for (const c of byStart(cpps)) {
    const start = c.start!;
    const startField = `${c.path}.CPPstartDate`;
    plan(
      CHILD_PROTECTION_PLAN_STARTED,
      start,
      `cpp:${start}`,
      { startDate: start, category: c.initial, contact },
      {
        time: startField,
        'data.startDate': startField,
        'data.category': `${c.path}.InitialCategoryOfAbuse`,
        'data.contact.team': 'CouncilContact.Team',
        'data.contact.phone': 'CouncilContact.Phone',
        'data.contact.outOfHoursPhone': 'CouncilContact.OutOfHoursPhone',
      },
    );
    if (c.end !== undefined) {
      const endField = `${c.path}.CPPendDate`;
      plan(
        CHILD_PROTECTION_PLAN_ENDED,
        c.end,
        `cpp-end:${start}`,
        {
          startDate: start,
          endDate: c.end,
          reason: c.reason ?? 'Not stated in the CIN census return',
          ...(c.latest !== undefined ? { latestCategory: c.latest } : {}),
        },
        {
          time: endField,
          'data.startDate': startField,
          'data.endDate': endField,
          'data.reason': `${c.path}.CPPendReason`,
          'data.latestCategory': `${c.path}.LatestCategoryOfAbuse`,
        },
      );
    }
  }
  return { events };
}

/** Names an envelope problem as the record names the field; anything unmapped keeps the hub's name. */
export function inRecordTerms(
  problems: readonly FieldProblem[],
  fields: Readonly<Record<string, string>>,
): FieldProblem[] {
  const seen = new Set<string>();
  return problems
    .map((p) => ({ field: fields[p.field] ?? p.field, reason: p.reason }))
    .filter((p) => {
      const key = `${p.field}\u0000${p.reason}`;
      return seen.has(key) ? false : (seen.add(key), true);
    });
}
