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
import { PURPOSES, type Agency, type JigsawEnvelope } from '@jigsaw/envelope';
import { isControlEvent } from '@jigsaw/sharing';
import { eventIn } from './agency-state.js';
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

/**
 * An agency reaches only its own records about this child, and never a control event (nor a protective
 * marker, which is lifted, not retracted): the ledger the read side folds ignores a control event aimed at
 * one, so the write side refuses it.
 */
function targetProblems(
  kind: TargetedKind,
  envelope: JigsawEnvelope<string, RecordControlDataDto>,
  { state }: IngestContext,
): FieldProblem[] {
  const target = eventIn(state, envelope.source, envelope.data.targetEventId);
  if (!target) {
    return [
      {
        field: 'data.targetEventId',
        reason: "must name an earlier event from the same source in this child's record",
      },
    ];
  }
  if (isControlEvent(target.type)) {
    return [{ field: 'data.targetEventId', reason: 'must name a record, not a control event' }];
  }
  if (kind === 'restriction-lifted' && !target.sharing.restricted) {
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
    rules: (envelope, context) => targetProblems(kind, envelope, context),
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
