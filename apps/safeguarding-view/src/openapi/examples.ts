import { eventKeyOf } from '@jigsaw/projection';
import { relatedAccess, type Viewer } from '@jigsaw/sharing';
import { ChronologyCursors } from '../chronology/chronology-cursor.js';
import { chronologyFor, type ChronologyEntry } from '@jigsaw/view-model';
import { childViewFor, type ChildView } from '../view/child-view.js';
import {
  aeClinician,
  EXAMPLE_CHILD_ID,
  EXAMPLE_NOW,
  exampleRows,
  schoolDsl,
  socialWorker,
} from './example-history.js';

/**
 * The documentation's examples are the code's real answers to one example child's history
 * (example-history.ts), so they cannot drift from what the service does.
 */
function viewOf(viewer: Viewer): ChildView {
  return childViewFor(viewer, EXAMPLE_CHILD_ID, exampleRows(), EXAMPLE_NOW, relatedAccess(viewer)).view;
}

export const CHILD_VIEW_EXAMPLES = {
  socialWorker: {
    summary: 'A social worker at the council that owns the plan (purpose safeguarding)',
    value: viewOf(socialWorker),
  },
  schoolDsl: {
    summary: "The school's designated safeguarding lead (purpose safeguarding): no category, no A&E visit",
    value: viewOf(schoolDsl),
  },
  aeClinician: {
    summary: 'An A&E clinician (purpose health-care): the CP-IS flag with the council to call',
    value: viewOf(aeClinician),
  },
};

function chronologyPageOf(
  viewer: Viewer,
  limit: number,
): { entries: ChronologyEntry[]; nextCursor?: string } {
  const all = chronologyFor(viewer, exampleRows(), EXAMPLE_NOW, relatedAccess(viewer)).entries;
  const entries = all.slice(0, limit);
  const last = entries.at(-1);
  if (!last || all.length <= limit) return { entries };
  // The cursor as the database writes the position: microseconds, and the row's event key.
  const at = last.occurredAt.replace(/Z$/, '000Z');
  const binding = { childId: EXAMPLE_CHILD_ID, viewer, filters: {} };
  return {
    entries,
    nextCursor: new ChronologyCursors('example').seal({ at, key: eventKeyOf(last) }, binding),
  };
}

export const CHRONOLOGY_EXAMPLES = {
  schoolDsl: {
    summary: "The first page (limit=3) for the school's designated safeguarding lead",
    value: {
      childId: EXAMPLE_CHILD_ID,
      purpose: 'safeguarding',
      ...chronologyPageOf(schoolDsl, 3),
    },
  },
  aeClinician: {
    summary: 'The whole chronology for an A&E clinician (purpose health-care)',
    value: { childId: EXAMPLE_CHILD_ID, purpose: 'health-care', ...chronologyPageOf(aeClinician, 50) },
  },
};

export const FIND_CHILD_EXAMPLE = { childId: EXAMPLE_CHILD_ID };
