import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { markerSetBy, type EventTypeDefinition } from '@jigsaw/ingest';

export const PROTECTIVE_MARKER_SET = 'police.protective-marker-set';
export const PROTECTIVE_MARKER_LIFTED = 'police.protective-marker-lifted';

/**
 * Shielding on everything about the child, as libs/sharing reads it: `concealed-address` hides addresses
 * and locations, `adoption` birth family details; a marker the hub does not know hides all of those.
 */
export class ProtectiveMarkerData {
  @IsString()
  @Matches(/^[a-z][a-z0-9-]{1,49}$/, {
    message: 'marker must be a lower-case code such as concealed-address',
  })
  marker!: string;
  @IsString() @IsNotEmpty() @MaxLength(1000) reason!: string;
}

export const protectiveMarkerSet: EventTypeDefinition<ProtectiveMarkerData> = {
  type: PROTECTIVE_MARKER_SET,
  version: 1,
  dataDto: ProtectiveMarkerData,
  rules: ({ source, data }, { state }) =>
    markerSetBy(state, source, data.marker)
      ? [{ field: 'data.marker', reason: 'is already set on this child by this organisation' }]
      : [],
};

export const protectiveMarkerLifted: EventTypeDefinition<ProtectiveMarkerData> = {
  type: PROTECTIVE_MARKER_LIFTED,
  version: 1,
  dataDto: ProtectiveMarkerData,
  rules: ({ source, data }, { state }) =>
    markerSetBy(state, source, data.marker)
      ? []
      : [{ field: 'data.marker', reason: 'is not set on this child by this organisation' }],
};
