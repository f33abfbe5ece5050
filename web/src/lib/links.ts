/**
 * Links that come from a provider or a contact (a click-to-WhatsApp ad's
 * `referral.source_url`, which becomes its campaign's `source_url`, …) are
 * links only when they are absolute http(s) URLs; anything else
 * (`javascript:`, `data:`, `vbscript:`, a relative path, junk) is shown as
 * plain text.
 */

/**
 * The `href` for an outside link, or null when it must stay text. The URL
 * is parsed the way the browser will read the attribute (tabs and line
 * breaks dropped, scheme case-folded), and that reading is what is returned.
 */
export function safeHref(raw: string | null | undefined): string | null {
  if (typeof raw !== 'string') return null;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
}
