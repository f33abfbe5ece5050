import { describe, expect, it } from 'vitest';
import { ptBR } from '../i18n/pt-BR';

describe('media texts quoted in the seeds', () => {
  it('keep them word for word in pt-BR', () => {
    expect(ptBR['voice.confirm']).toBe('Tem certeza que deseja enviar esse áudio?');
    expect(ptBR['voice.yes']).toBe('Sim');
    expect(ptBR['voice.no']).toBe('Não');
    expect(ptBR['contactCard.submit']).toBe('Enviar contato');
    expect(ptBR['contactCard.hint']).toBe('Informe o nome do contato, o e-mail e/ou telefone.');
  });
});
