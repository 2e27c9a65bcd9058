import { PROTECTIVE_MARKER_LIFTED, PROTECTIVE_MARKER_SET } from '@jigsaw/contracts';
import { markerSetBy, type EventTypeDefinition } from '@jigsaw/ingest';

/**
 * Shielding on everything about the child, as libs/sharing reads it: `concealed-address` hides addresses
 * and locations, `adoption` birth family details; a marker the hub does not know hides all of those. The
 * shapes are schemas/police/protective-marker-set/v1.json and protective-marker-lifted/v1.json.
 */
export const protectiveMarkerSet: EventTypeDefinition<typeof PROTECTIVE_MARKER_SET> = {
  type: PROTECTIVE_MARKER_SET,
  version: 1,
  rules: ({ source, data }, { state }) =>
    markerSetBy(state, source, data.marker)
      ? [{ field: 'data.marker', reason: 'is already set on this child by this organisation' }]
      : [],
};

export const protectiveMarkerLifted: EventTypeDefinition<typeof PROTECTIVE_MARKER_LIFTED> = {
  type: PROTECTIVE_MARKER_LIFTED,
  version: 1,
  rules: ({ source, data }, { state }) =>
    markerSetBy(state, source, data.marker)
      ? []
      : [{ field: 'data.marker', reason: 'is not set on this child by this organisation' }],
};
