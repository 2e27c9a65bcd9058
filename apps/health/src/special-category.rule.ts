import type { FieldProblem } from '@jigsaw/errors';
import type { JigsawEnvelope } from '@jigsaw/envelope';

/**
 * Health data is special category (UK GDPR Art 9): it may be shared only with a condition, such as
 * DPA 2018 Sch 1 para 18 (safeguarding of children). A health event claiming otherwise is a mistake
 * about the law, not a choice, so it is refused. The envelope schema already requires the condition.
 */
export function specialCategoryRequired(envelope: JigsawEnvelope): FieldProblem[] {
  return envelope.sharing.basis.specialCategory === true
    ? []
    : [
        {
          field: 'sharing.basis.specialCategory',
          reason:
            'must be true: health data is special category and needs a condition (e.g. dpa-2018-sch1-para18)',
        },
      ];
}
