import { describe, expect, it } from 'vitest';
import { parsePrivacyChoices, privacyState } from './privacy-state';

const open = { consent: 'not-required', respectGpc: false } as const;
const required = { consent: 'required', respectGpc: false } as const;
const gpcAware = { consent: 'not-required', respectGpc: true } as const;

describe('privacyState', () => {
  it('personalises by default and stops when paused, keeping storage readable', () => {
    expect(privacyState(open, {}, false)).toMatchObject({ consent: 'granted', personalised: true, storage: true });
    expect(privacyState(open, { paused: true }, false)).toMatchObject({ consent: 'granted', paused: true, personalised: false, storage: true });
  });

  it('with consent required, neither logs nor stores until consent is granted', () => {
    expect(privacyState(required, {}, false)).toMatchObject({ consent: 'pending', personalised: false, storage: false });
    expect(privacyState(required, { consent: 'granted' }, false)).toMatchObject({ consent: 'granted', personalised: true, storage: true });
    expect(privacyState(required, { consent: 'denied' }, false)).toMatchObject({ consent: 'denied', storage: false });
  });

  it('honours GPC only when asked to, and an explicit consent overrides it', () => {
    expect(privacyState(open, {}, true)).toMatchObject({ consent: 'granted', gpc: true, deniedByGpc: false });
    expect(privacyState(gpcAware, {}, true)).toMatchObject({ consent: 'denied', deniedByGpc: true, storage: false });
    expect(privacyState(gpcAware, {}, false)).toMatchObject({ consent: 'granted' });
    expect(privacyState(gpcAware, { consent: 'granted' }, true)).toMatchObject({ consent: 'granted', personalised: true });
    expect(privacyState(open, { consent: 'denied' }, false)).toMatchObject({ consent: 'denied', personalised: false });
  });
});

describe('parsePrivacyChoices', () => {
  it('keeps only well-formed choices', () => {
    expect(parsePrivacyChoices('{"consent":"granted","paused":true}')).toEqual({ consent: 'granted', paused: true });
    expect(parsePrivacyChoices('{"consent":"yes","paused":"true"}')).toEqual({});
    expect(parsePrivacyChoices('not json')).toEqual({});
    expect(parsePrivacyChoices(null)).toEqual({});
    expect(parsePrivacyChoices('42')).toEqual({});
  });
});
