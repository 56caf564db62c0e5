import type { LocalRankStrings } from '../core/default-strings';
import { fillTemplate } from '../core/default-strings';
import type { Explanation } from '../core/ranker';

/** Turns an explanation into display text with the shop's templates (plain text; the UI renders it as text). */
export function explanationText(reason: Explanation, strings: LocalRankStrings['explanations']): string {
  return fillTemplate(strings[reason.kind] ?? strings.popular, { subject: reason.subject ?? '' });
}
