import type { LocalRankStrings } from '../core/default-strings';

/** What the "Your data" panel shows, already formatted for display (the UI does no lookups). */
export interface DataPanelInfo {
  /** Non-zero event counts with their display labels, e.g. `{ label: 'Clicks', value: 3 }`. */
  readonly counts: readonly { readonly type: string; readonly label: string; readonly value: number }[];
  /** Titles of the products engaged with most recently, newest first. */
  readonly recent: readonly string[];
  /** One sentence about the ranking model on this device. */
  readonly model: string;
  /** A notice shown above the data when personalisation is off for a reason the shopper cannot toggle here. */
  readonly notice: string | undefined;
  /** Whether personalisation is paused by the shopper. */
  readonly paused: boolean;
  /** Whether the shopper can pause/resume here (false while consent is pending or denied). */
  readonly canPause: boolean;
}

/**
 * Strings of the panel; every one is configurable by the shop (`LocalRankConfig.strings.dataPanel`, i18n). The panel
 * takes the labels of the shop's strings; the notices and model texts are chosen by the widget layer.
 */
export type DataPanelLabels = Omit<LocalRankStrings['dataPanel'], 'noticePending' | 'noticeDenied' | 'noticeGpc' | 'noticePaused' | 'modelTrained' | 'modelBase' | 'modelNone'>;

/** Props of the `DataPanel` component. */
export interface DataPanelProps {
  readonly labels: DataPanelLabels;
  /** Reads what is stored now; called each time the panel opens and after each action. */
  readonly load: () => Promise<DataPanelInfo>;
  /** Pauses (`true`) or resumes personalisation. */
  readonly onPause: (paused: boolean) => Promise<void>;
  /** Deletes the shopper's events and model. */
  readonly onClear: () => Promise<void>;
}
