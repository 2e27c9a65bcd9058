import type { Agency } from '@jigsaw/envelope';

export function agencyTopic(prefix: string, agency: Agency): string {
  return `${prefix}${agency}.events`;
}

export function deadLetterTopic(prefix: string): string {
  return `${prefix}dead-letter`;
}
