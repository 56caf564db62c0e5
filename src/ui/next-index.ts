/**
 * Index of the card that should get focus when `key` is pressed on card `index` of `count` (the keyboard part of
 * the WAI-ARIA carousel pattern): ArrowRight / ArrowLeft move one card in reading direction (swapped when `rtl`,
 * so the arrow always points where focus goes), Home / End jump to the first / last card. The result is clamped
 * to `0 … count - 1`; there is no wrap-around.
 *
 * Pure; never throws.
 * @param rtl - true when the carousel is laid out right-to-left. Default `false`.
 * @returns the target index, or `undefined` when `key` is not a navigation key or there are no cards (the caller
 *   then leaves the event alone, e.g. does not `preventDefault`).
 */
export function nextIndex(key: string, index: number, count: number, rtl = false): number | undefined {
  if (count < 1) return undefined;
  let target: number;
  switch (key) {
    case 'Home':
      target = 0;
      break;
    case 'End':
      target = count - 1;
      break;
    case 'ArrowRight':
      target = index + (rtl ? -1 : 1);
      break;
    case 'ArrowLeft':
      target = index + (rtl ? 1 : -1);
      break;
    default:
      return undefined;
  }
  return Math.min(count - 1, Math.max(0, target));
}
