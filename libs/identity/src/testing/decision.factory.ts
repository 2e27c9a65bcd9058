import type { Decision } from '../identity.events.js';

/** A social worker's identity decision, with its reason. */
export function aSocialWorkerDecision(reason: string): Decision {
  return {
    decidedBy: {
      sub: 'sw-1',
      organisation: 'urn:jigsaw:org:council:leeds',
      agency: 'council',
      role: 'social-worker',
    },
    purpose: 'safeguarding',
    reason,
  };
}
