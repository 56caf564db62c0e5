/** Which arm of the local A/B holdout a browser is in. */
export type HoldoutGroup = 'holdout' | 'personalised';

/**
 * The browser's arm for a holdout share (0–1): `holdout` when its draw (uniform in [0, 1), made once on the device
 * and kept) is below the share. Without a draw (no storage allowed to keep one) a browser is `personalised`, unless
 * the share is 1. Pure.
 */
export function holdoutGroup(share: number, draw: number | undefined): HoldoutGroup {
  if (!(share > 0)) return 'personalised';
  if (share >= 1) return 'holdout';
  return draw !== undefined && draw >= 0 && draw < share ? 'holdout' : 'personalised';
}
