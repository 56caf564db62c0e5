import type { Explanation } from '../core/ranker';

/** Templates for explanations; `{subject}` is replaced by the product, brand or category name. */
export type ExplanationStrings = Readonly<Record<Explanation['kind'], string>>;

/** Default English explanation templates. */
export const DEFAULT_EXPLANATIONS: ExplanationStrings = {
  viewed: 'Because you viewed {subject}',
  brand: 'Because you like {subject}',
  search: 'Matches what you searched for',
  'popular-in': 'Popular in {subject}',
  similar: 'Similar to {subject}',
  recent: 'You viewed this recently',
  trending: 'Popular in {subject} right now',
  popular: 'Popular in this shop',
};

/** Turns an explanation into display text (plain text; the UI renders it as text). */
export function explanationText(reason: Explanation, strings: ExplanationStrings = DEFAULT_EXPLANATIONS): string {
  const template = strings[reason.kind] ?? strings.popular;
  return template.replace('{subject}', reason.subject ?? '');
}
