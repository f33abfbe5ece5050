import { describe, expect, it } from 'vitest';
import { fileName } from './api';
import { freshId, joinSeconds, matchRef, splitSeconds, toInt, toNumber } from './forms';

describe('step form helpers', () => {
  it('reads numbers typed in inputs', () => {
    expect(toInt('3')).toBe(3);
    expect(toInt(' 10 ')).toBe(10);
    expect(toInt('')).toBeUndefined();
    expect(toInt('2.5')).toBeUndefined();
    expect(toNumber('2,5')).toBe(2.5);
    expect(toNumber('-1')).toBe(-1);
    expect(toNumber('abc')).toBeUndefined();
    expect(toNumber(' ')).toBeUndefined();
  });

  it('shows a wait in the largest whole unit and back', () => {
    expect(splitSeconds(90)).toEqual({ amount: 90, unit: 'seconds' });
    expect(splitSeconds(300)).toEqual({ amount: 5, unit: 'minutes' });
    expect(splitSeconds(7200)).toEqual({ amount: 2, unit: 'hours' });
    expect(splitSeconds(2 * 86_400)).toEqual({ amount: 2, unit: 'days' });
    expect(joinSeconds(5, 'minutes')).toBe(300);
    expect(joinSeconds(3, 'days')).toBe(259_200);
  });

  it('matches references by id or by name, like the server', () => {
    const deps = [
      { id: 'd-1', name: 'Vendas' },
      { id: 'd-2', name: 'Suporte' },
    ];
    expect(matchRef(deps, 'd-2')?.name).toBe('Suporte');
    expect(matchRef(deps, ' suporte ')?.id).toBe('d-2');
    expect(matchRef(deps, 'Financeiro')).toBeNull();
    expect(matchRef(deps, undefined)).toBeNull();
  });

  it('makes fresh ids and file names', () => {
    expect(freshId('opcao', ['opcao_1', 'opcao_3'])).toBe('opcao_2');
    expect(fileName('Boas-vindas à Loja / 2')).toBe('Boas-vindas-a-Loja-2');
    expect(fileName('???')).toBe('fluxo');
  });
});
