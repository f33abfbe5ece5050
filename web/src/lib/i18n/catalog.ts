import { en } from './en';
import { ptBR, type MessageKey } from './pt-BR';

export type { MessageKey };

/** The languages the UI speaks; the first is the default. */
export const LOCALES = ['pt-BR', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'pt-BR';

export type Params = Record<string, string | number>;

export const catalogs: Record<Locale, Record<MessageKey, string>> = {
  'pt-BR': ptBR,
  en,
};

export function isLocale(v: unknown): v is Locale {
  return typeof v === 'string' && (LOCALES as readonly string[]).includes(v);
}

/** Fills `{name}` placeholders; unknown ones are left as they are. */
export function interpolate(text: string, params?: Params): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    return v === undefined ? whole : String(v);
  });
}

/** The placeholder names a text uses, sorted (for catalog checks). */
export function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();
}

export function translate(locale: Locale, key: MessageKey, params?: Params): string {
  return interpolate(catalogs[locale][key], params);
}
