import { CONTRACTS, type Contract, type EventType, type ViewFacts } from '@jigsaw/contracts';

/** Every record type the agencies send (control events aside): those whose contract gives the view facts. */
export type ViewEventType = {
  [T in EventType]: (typeof CONTRACTS)[T]['view'] extends ViewFacts ? T : never;
}[EventType];

/**
 * What the view reads of each of them (`ViewFacts`, in its contract): the fields of `data` that say when it
 * happened, best first, and whether the agency raised a concern about the child.
 */
export const VIEW_EVENT_TYPES: Readonly<Record<ViewEventType, ViewFacts>> = Object.fromEntries(
  Object.values<Contract>(CONTRACTS).flatMap((contract) =>
    contract.view ? [[contract.type, contract.view]] : [],
  ),
) as Record<ViewEventType, ViewFacts>;

export function isViewEventType(type: string): type is ViewEventType {
  return Object.hasOwn(VIEW_EVENT_TYPES, type);
}
