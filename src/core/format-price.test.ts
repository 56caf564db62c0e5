import { describe, expect, it } from 'vitest';
import { formatPrice } from './format-price';

// Intl output contains narrow no-break spaces in some locales: compare with the spaces normalised.
const norm = (s: string | undefined): string | undefined => s?.replace(/[\u00a0\u202f]/g, ' ');

describe('formatPrice', () => {
  it('formats with the page locale and the product currency', () => {
    expect(norm(formatPrice(1234.5, 'EUR', 'de-DE'))).toBe('1.234,50 €');
    expect(norm(formatPrice(1234.5, 'EUR', 'en-US'))).toBe('€1,234.50');
    expect(norm(formatPrice(1234.5, 'USD', 'en-US'))).toBe('$1,234.50');
    expect(norm(formatPrice(1234, 'JPY', 'ja-JP'))).toBe('￥1,234');
    expect(norm(formatPrice(9.9, 'CHF', 'de-CH'))).toBe('CHF 9.90');
  });

  it('returns undefined without a price and a plain number without a currency', () => {
    expect(formatPrice(undefined, 'EUR', 'de-DE')).toBeUndefined();
    expect(norm(formatPrice(3, undefined, 'de-DE'))).toBe('3,00');
  });

  it('never throws: an invalid currency gives a plain number in the page locale, an invalid locale the default one', () => {
    expect(norm(formatPrice(1234.5, 'EURO', 'de-DE'))).toBe('1.234,50');
    expect(norm(formatPrice(2, 'EUR', 'not a locale!'))).toBe(norm(new Intl.NumberFormat(undefined, { style: 'currency', currency: 'EUR' }).format(2)));
    expect(norm(formatPrice(2, '€', 'also bad'))).toBe(norm(new Intl.NumberFormat(undefined, { minimumFractionDigits: 2 }).format(2)));
    // A well-formed code Intl does not know is shown as the code.
    expect(norm(formatPrice(2, 'XYZ', 'en-US'))).toBe('XYZ 2.00');
  });

  it('caches one formatter per locale and currency', () => {
    const Real = Intl.NumberFormat;
    let created = 0;
    const Counting = class extends Real {
      constructor(...args: ConstructorParameters<typeof Real>) {
        super(...args);
        created++;
      }
    };
    Object.defineProperty(Intl, 'NumberFormat', { value: Counting, configurable: true, writable: true });
    try {
      formatPrice(1, 'GBP', 'en-GB');
      formatPrice(2, 'GBP', 'en-GB');
      formatPrice(3, 'GBP', 'en-GB');
      expect(created).toBe(1);
      formatPrice(3, 'GBP', 'fr-FR');
      expect(created).toBe(2);
    } finally {
      Object.defineProperty(Intl, 'NumberFormat', { value: Real, configurable: true, writable: true });
    }
  });
});
