/**
 * The UI language: pt-BR by default, English second, kept in localStorage.
 * `t()` reads the reactive locale, so markup re-renders on a switch.
 */
import { DEFAULT_LOCALE, isLocale, translate, type Locale, type MessageKey, type Params } from './catalog';

export { LOCALES, type Locale, type MessageKey } from './catalog';

const STORAGE_KEY = 'atende.locale';

function stored(): Locale {
  try {
    const v = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (isLocale(v)) return v;
  } catch {
    // Storage may be blocked (private mode): fall back to the default.
  }
  return DEFAULT_LOCALE;
}

export const i18n = $state<{ locale: Locale }>({ locale: stored() });

export function setLocale(locale: Locale): void {
  i18n.locale = locale;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, locale);
  } catch {
    // Not persisted; the choice still applies to this page.
  }
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
}

export function t(key: MessageKey, params?: Params): string {
  return translate(i18n.locale, key, params);
}
