import { Type } from 'class-transformer';
import {
  IsArray,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import type { FieldProblem } from '@jigsaw/errors';
import { PURPOSES, type Agency, type JigsawEnvelope, type RecordedEvent } from '@jigsaw/envelope';
import { AudienceDto } from './envelope.dto.js';
import type { EventTypeDefinition, IngestContext } from './event-type.js';

/**
 * What every agency may record about its own earlier records, and its decisions not to share. The data
 * shapes are the ones libs/sharing reads (sharing-state.ts); each kind has one schema shared by all
 * agencies, `urn:jigsaw:schema:<kind>:v1` under schemas/control/.
 */
export const CONTROL_KINDS = [
  'consent-withdrawn',
  'record-restricted',
  'restriction-lifted',
  'record-retracted',
  'record-corrected',
  'sharing-declined',
] as const;
export type ControlKind = (typeof CONTROL_KINDS)[number];

type TargetedKind = Exclude<ControlKind, 'sharing-declined'>;
const TARGETED_KINDS = new Set<string>(CONTROL_KINDS.filter((k) => k !== 'sharing-declined'));

export class RecordControlDataDto {
  @IsString()
  @Matches(/^[A-Za-z0-9._:/-]{1,200}$/, { message: 'targetEventId must be the id of an earlier event' })
  targetEventId!: string;
  @IsString() @IsNotEmpty() @MaxLength(1000) reason!: string;
}

export class RecordCorrectedDataDto extends RecordControlDataDto {
  /** Each field replaces the same top-level field of the target's data. */
  @IsObject() corrections!: Record<string, unknown>;
}

export class SharingDeclinedDataDto {
  @IsString() @IsNotEmpty() @MaxLength(1000) reason!: string;
  @IsOptional() @IsIn(PURPOSES) purpose?: string;
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => AudienceDto)
  withheldFrom?: AudienceDto[];
}

function isTargetedControl(type: string): boolean {
  const dot = type.indexOf('.');
  return dot > 0 && TARGETED_KINDS.has(type.slice(dot + 1));
}

function targetOf(event: RecordedEvent): string | undefined {
  const target = (event.data as { targetEventId?: unknown } | null)?.targetEventId;
  return typeof target === 'string' ? target : undefined;
}

/** Whether the target is restricted now: the later of its restrictions and lifts wins. */
function isRestricted(
  history: readonly RecordedEvent[],
  agency: Agency,
  source: string,
  id: string,
): boolean {
  let restricted = false;
  for (const event of history) {
    if (event.source !== source || targetOf(event) !== id) continue;
    if (event.type === `${agency}.record-restricted`) restricted = true;
    if (event.type === `${agency}.restriction-lifted`) restricted = false;
  }
  return restricted;
}

/** An agency reaches only its own records about this child, and never another control event. */
function targetProblems(
  agency: Agency,
  kind: TargetedKind,
  envelope: JigsawEnvelope<string, RecordControlDataDto>,
  { history }: IngestContext,
): FieldProblem[] {
  const id = envelope.data.targetEventId;
  const target = history.find((event) => event.source === envelope.source && event.id === id);
  if (!target) {
    return [
      {
        field: 'data.targetEventId',
        reason: "must name an earlier event from the same source in this child's record",
      },
    ];
  }
  if (isTargetedControl(target.type) || target.type === `${agency}.sharing-declined`) {
    return [{ field: 'data.targetEventId', reason: 'must name a record, not a control event' }];
  }
  if (kind === 'restriction-lifted' && !isRestricted(history, agency, envelope.source, id)) {
    return [{ field: 'data.targetEventId', reason: 'names a record that is not restricted' }];
  }
  return [];
}

function targeted<TData extends RecordControlDataDto>(
  agency: Agency,
  kind: TargetedKind,
  dataDto: new () => TData,
): EventTypeDefinition<TData> {
  return {
    type: `${agency}.${kind}`,
    version: 1,
    dataDto,
    rules: (envelope, context) => targetProblems(agency, kind, envelope, context),
  };
}

/** The control event types of one agency, ready to merge into its catalogue. */
export function controlEventTypes(agency: Agency): EventTypeDefinition[] {
  return [
    targeted(agency, 'consent-withdrawn', RecordControlDataDto),
    targeted(agency, 'record-restricted', RecordControlDataDto),
    targeted(agency, 'restriction-lifted', RecordControlDataDto),
    targeted(agency, 'record-retracted', RecordControlDataDto),
    targeted(agency, 'record-corrected', RecordCorrectedDataDto),
    { type: `${agency}.sharing-declined`, version: 1, dataDto: SharingDeclinedDataDto },
  ];
}
