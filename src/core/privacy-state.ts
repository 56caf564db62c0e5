/** The shopper's explicit choices, as remembered on the device (never behaviour data). */
export interface PrivacyChoices {
  /** Set by `LocalRank.setConsent()`: the shop's consent banner speaking for the shopper. */
  readonly consent?: 'granted' | 'denied';
  /** Set by the "Personalise products for me" switch in the widget, or `LocalRank.setPaused()`. */
  readonly paused?: boolean;
}

/** What LocalRank may do right now, and why. Reported by `status().privacy` and the `privacy` event. */
export interface PrivacyState {
  /** `granted`: may log; `pending`: `data-consent="required"` and no answer yet; `denied`: told not to (or GPC). */
  readonly consent: 'granted' | 'pending' | 'denied';
  /** The shopper paused personalisation. */
  readonly paused: boolean;
  /** The browser sends Global Privacy Control (`navigator.globalPrivacyControl === true`). */
  readonly gpc: boolean;
  /** Whether GPC is what denies consent (`respectGpc` and no explicit consent). */
  readonly deniedByGpc: boolean;
  /** Interactions are logged and lists are personalised (consent granted and not paused). */
  readonly personalised: boolean;
  /** LocalRank may open its storage on this device (consent granted; pausing keeps the data readable and deletable). */
  readonly storage: boolean;
}

/**
 * Decides what LocalRank may do (pure). An explicit `setConsent()` answer wins over everything; without one,
 * `consent: "required"` means pending, and `respectGpc` with a GPC signal means denied.
 */
export function privacyState(
  config: { readonly consent: 'not-required' | 'required'; readonly respectGpc: boolean },
  choices: PrivacyChoices,
  gpc: boolean,
): PrivacyState {
  let consent: PrivacyState['consent'];
  let deniedByGpc = false;
  if (choices.consent) consent = choices.consent;
  else if (config.consent === 'required') consent = 'pending';
  else if (config.respectGpc && gpc) {
    consent = 'denied';
    deniedByGpc = true;
  } else consent = 'granted';
  const paused = choices.paused === true;
  const storage = consent === 'granted';
  return { consent, paused, gpc, deniedByGpc, personalised: storage && !paused, storage };
}

/** Reads remembered choices from their JSON form; anything malformed counts as no choice. */
export function parsePrivacyChoices(raw: string | null | undefined): PrivacyChoices {
  if (!raw) return {};
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return {};
    const { consent, paused } = value as Record<string, unknown>;
    return {
      ...(consent === 'granted' || consent === 'denied' ? { consent } : {}),
      ...(paused === true ? { paused: true } : {}),
    };
  } catch {
    return {};
  }
}
