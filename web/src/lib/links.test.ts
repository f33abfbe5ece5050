import { describe, expect, it } from 'vitest';
import { safeHref } from './links';

describe('safeHref', () => {
  it('keeps absolute http and https links', () => {
    expect(safeHref('https://fb.me/abc123')).toBe('https://fb.me/abc123');
    expect(safeHref('http://example.com/ad?id=1#x')).toBe('http://example.com/ad?id=1#x');
    expect(safeHref('  HTTPS://Example.com/Ad  ')).toBe('https://example.com/Ad');
  });

  it('turns every other scheme into text', () => {
    expect(safeHref('javascript:alert(document.cookie)')).toBeNull();
    expect(safeHref('JavaScript:alert(1)')).toBeNull();
    expect(safeHref(' \tjava\nscript:alert(1)')).toBeNull();
    expect(safeHref('data:text/html,<script>alert(1)</script>')).toBeNull();
    expect(safeHref('vbscript:msgbox(1)')).toBeNull();
    expect(safeHref('file:///etc/passwd')).toBeNull();
    expect(safeHref('mailto:ana@example.com')).toBeNull();
  });

  it('turns relative, malformed and missing links into text', () => {
    expect(safeHref('/admin/users')).toBeNull();
    expect(safeHref('//evil.example/x')).toBeNull();
    expect(safeHref('fb.me/abc')).toBeNull();
    expect(safeHref('https://')).toBeNull();
    expect(safeHref('')).toBeNull();
    expect(safeHref(null)).toBeNull();
    expect(safeHref(undefined)).toBeNull();
  });
});
