import { describe, expect, it } from 'vitest';
import { hourLabel, hourSeries } from './hours';

const dayStart = '2026-03-10T03:00:00.000Z'; // midnight in Brasília

describe('hourLabel', () => {
  it("names the organization's hour, whatever the browser's time zone", () => {
    expect(hourLabel(dayStart, dayStart)).toBe('00h');
    expect(hourLabel('2026-03-10T11:00:00.000Z', dayStart)).toBe('08h');
    expect(hourLabel('2026-03-11T02:00:00.000Z', dayStart)).toBe('23h');
  });
});

describe('hourSeries', () => {
  it('gives one label and one value per hour and series, no first reply as null', () => {
    const hours = [
      { start: '2026-03-10T11:00:00.000Z', opened: 4, closed: 1, lost: 0, abandoned: 1, first_reply_avg_seconds: 42.5 },
      { start: '2026-03-10T12:00:00.000Z', opened: 2, closed: 3, lost: 1, abandoned: 0, first_reply_avg_seconds: null },
    ];
    expect(hourSeries(hours, dayStart)).toEqual({
      labels: ['08h', '09h'],
      opened: [4, 2],
      closed: [1, 3],
      lost: [0, 1],
      abandoned: [1, 0],
      firstReply: [42.5, null],
    });
    expect(hourSeries([], dayStart).labels).toEqual([]);
  });
});
