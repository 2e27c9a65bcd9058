import type { Type } from '@nestjs/common';
import type { LinkedChildren } from './linked-children.js';

/** How the process running the identity module keeps what identity's events are projected into. */
export interface IdentityModuleOptions {
  /**
   * The schema holding the projections of identity's events (`child_links`, `child_members`,
   * `possible_matches`) and their applied-event marks: the view's, whose read models follow the links.
   */
  readSchema: string;
  /** The reader of those links, provided and exported by the module. */
  links: Type<LinkedChildren>;
}

export const IDENTITY_OPTIONS = Symbol('IDENTITY_OPTIONS');
