import { describe, expect, it } from 'vitest';
import { clockSkew, elapsedSeconds, formatDuration } from './time';

describe('clockSkew and elapsedSeconds', () => {
  const server = '2026-03-10T12:00:00.000Z';
  const serverMs = Date.parse(server);

  it('measures how far the server clock is ahead of the browser', () => {
    expect(clockSkew(server, serverMs - 5_000)).toBe(5_000);
    expect(clockSkew(server, serverMs + 3_000)).toBe(-3_000);
    expect(clockSkew('garbage', serverMs)).toBe(0);
  });

  it('counts a wait on the server clock, whatever the browser clock says', () => {
    const since = '2026-03-10T11:58:00.000Z';
    // The browser is 5 s behind: at receipt the wait is 120 s, as on the server.
    const receivedAt = serverMs - 5_000;
    const skew = clockSkew(server, receivedAt);
    expect(elapsedSeconds(since, receivedAt, skew)).toBe(120);
    // 2.5 s later on the browser clock.
    expect(elapsedSeconds(since, receivedAt + 2_500, skew)).toBe(122);
    // Without the correction the wait would read 115 s.
    expect(elapsedSeconds(since, receivedAt, 0)).toBe(115);
  });

  it('is never negative and null without a start', () => {
    expect(elapsedSeconds('2026-03-10T12:00:10.000Z', serverMs, 0)).toBe(0);
    expect(elapsedSeconds(null, serverMs, 0)).toBeNull();
    expect(elapsedSeconds(undefined, serverMs, 0)).toBeNull();
    expect(elapsedSeconds('nope', serverMs, 0)).toBeNull();
  });
});

describe('formatDuration', () => {
  it('reads seconds, minutes, hours and days in pt-BR', () => {
    expect(formatDuration(0, 'pt-BR')).toBe('0 s');
    expect(formatDuration(45, 'pt-BR')).toBe('45 s');
    expect(formatDuration(59.6, 'pt-BR')).toBe('1 min 00 s');
    expect(formatDuration(200, 'pt-BR')).toBe('3 min 20 s');
    expect(formatDuration(185, 'pt-BR')).toBe('3 min 05 s');
    expect(formatDuration(3_900, 'pt-BR')).toBe('1 h 05 min');
    expect(formatDuration(3_959, 'pt-BR')).toBe('1 h 05 min');
    expect(formatDuration(90_000, 'pt-BR')).toBe('1 d 01 h');
  });

  it('reads the same way in English, big numbers grouped as the language does', () => {
    expect(formatDuration(45, 'en')).toBe('45 s');
    expect(formatDuration(200, 'en')).toBe('3 min 20 s');
    expect(formatDuration(3_900, 'en')).toBe('1 h 05 min');
    const days = 1_234 * 86_400;
    expect(formatDuration(days, 'en')).toBe('1,234 d 00 h');
    expect(formatDuration(days, 'pt-BR')).toBe('1.234 d 00 h');
  });

  it('shows "—" when there is no data, and no negative wait', () => {
    expect(formatDuration(null, 'pt-BR')).toBe('—');
    expect(formatDuration(undefined, 'en')).toBe('—');
    expect(formatDuration(Number.NaN, 'en')).toBe('—');
    expect(formatDuration(-3, 'pt-BR')).toBe('0 s');
  });
});
