import { describe, expect, it } from 'vitest';
import { brNational, displayPhone, formatBrPhone, newChatPrefill, phoneCandidates, phoneMatches, searchDigits } from './phone';

describe('LC-16 target_phone', () => {
  it('a DDD + number matches the contact with or without 55', () => {
    expect(phoneCandidates('11987654321').sort()).toEqual(['11987654321', '5511987654321']);
    expect(phoneMatches('+5511987654321', '11987654321')).toBe(true);
    expect(phoneMatches('11 98765-4321', '11987654321')).toBe(true);
    expect(phoneMatches('+5511987654321', '5511987654321')).toBe(true);
    expect(phoneMatches('(11) 98765-4321', '+55 11 98765-4321')).toBe(true);
  });
  it('matches digits exactly, not as a substring', () => {
    expect(phoneMatches('+55119876543210', '11987654321')).toBe(false);
    expect(phoneMatches('+5511987654320', '11987654321')).toBe(false);
    expect(phoneMatches('+5521987654321', '11987654321')).toBe(false);
    expect(phoneMatches(null, '11987654321')).toBe(false);
    expect(phoneMatches('', '')).toBe(false);
  });
  it('landlines (8 digits) work too', () => {
    expect(brNational('1132654321')).toBe('1132654321');
    expect(phoneMatches('+551132654321', '1132654321')).toBe(true);
  });
  it('a foreign number is compared as given', () => {
    expect(brNational('351912345678')).toBeNull();
    expect(phoneCandidates('+351 912 345 678')).toEqual(['351912345678']);
    expect(phoneMatches('+351912345678', '351912345678')).toBe(true);
  });
  it('searches the list with the national digits', () => {
    expect(searchDigits('5511987654321')).toBe('11987654321');
    expect(searchDigits('351912345678')).toBe('351912345678');
  });
  it('pre-fills "Novo chat" in the Brazilian format, or as foreign', () => {
    expect(formatBrPhone('11987654321')).toBe('11 98765-4321');
    expect(formatBrPhone('1132654321')).toBe('11 3265-4321');
    expect(newChatPrefill('11987654321')).toEqual({ phone: '11 98765-4321', foreign: false });
    expect(newChatPrefill('5511987654321')).toEqual({ phone: '11 98765-4321', foreign: false });
    expect(newChatPrefill('+351912345678')).toEqual({ phone: '351912345678', foreign: true });
  });
});

describe('CT-1 inbox number', () => {
  it('shows Brazilian numbers with country code, DDD and hyphen', () => {
    expect(displayPhone('5511900000000')).toBe('+55 11 90000-0000');
    expect(displayPhone('551132654321')).toBe('+55 11 3265-4321');
  });
  it('shows other numbers as international digits, and anything else as given', () => {
    expect(displayPhone('15550783881')).toBe('+15550783881');
    expect(displayPhone('+1 555-078-3881')).toBe('+15550783881');
    expect(displayPhone('Loja Centro')).toBe('Loja Centro');
  });
});
