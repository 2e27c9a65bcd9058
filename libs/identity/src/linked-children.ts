/**
 * Which hub child ids are one child now, as the reader of the links identity events are projected into
 * answers it. Identity decides the links; the process running this module reads them back from its own
 * projection (the view's `ChildLinks`) and provides it, so a merge is refused when the two are one already.
 */
export abstract class LinkedChildren {
  /** Every hub child id linked into the same child, itself included; `[childId]` when unlinked. */
  abstract membersOf(childId: string): Promise<string[]>;
}
