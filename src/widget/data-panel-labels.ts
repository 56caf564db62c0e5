import type { InteractionType } from '../core/interaction';
import type { DataPanelLabels } from '../ui/data-panel-props';

/** Default English strings of the "Your data" panel, with its notices. */
export const DATA_PANEL_LABELS: DataPanelLabels & {
  readonly noticePending: string;
  readonly noticeDenied: string;
  readonly noticeGpc: string;
  readonly noticePaused: string;
} = {
  open: 'Your data',
  title: 'Your data in this shop',
  intro:
    'To order products for you, this shop keeps what you browse here on this device only. Nothing of it is sent to the shop or anyone else.',
  storedHeading: 'Stored on this device',
  nothingStored: 'Nothing is stored.',
  recentHeading: 'Recently',
  personalise: 'Personalise products for me',
  clear: 'Clear my data',
  cleared: 'Your browsing history and the model trained on it were deleted from this device.',
  close: 'Close',
  noticePending: "Personalisation is off until you accept it in this shop's privacy settings. Nothing is recorded.",
  noticeDenied: "Personalisation is off: you declined it in this shop's privacy settings. Nothing is recorded.",
  noticeGpc: 'Personalisation is off because your browser sends Global Privacy Control. Nothing is recorded.',
  noticePaused: 'Paused: nothing new is recorded and products are not ordered for you.',
};

/** Display labels of the event counts, in the panel's order. */
export const EVENT_LABELS: Readonly<Record<InteractionType, string>> = {
  click: 'Products opened',
  dwell: 'Product pages read',
  'add-to-cart': 'Added to cart',
  purchase: 'Purchases',
  search: 'Searches',
  impression: 'Products seen in lists',
};
