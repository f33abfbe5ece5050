import { describe, expect, it } from 'vitest';
import { catalogs, interpolate, LOCALES, placeholders, translate } from './catalog';
import { ptBR } from './pt-BR';

const keys = Object.keys(ptBR) as (keyof typeof ptBR)[];

describe('i18n catalogs', () => {
  it('define every key in every language, with no extras and no empty texts', () => {
    for (const locale of LOCALES) {
      const catalog = catalogs[locale];
      expect(Object.keys(catalog).sort(), locale).toEqual([...keys].sort());
      for (const k of keys) expect(catalog[k].trim(), `${locale} ${k}`).not.toBe('');
    }
  });

  it('use the same placeholders in every language', () => {
    for (const k of keys) {
      for (const locale of LOCALES) {
        expect(placeholders(catalogs[locale][k]), `${locale} ${k}`).toEqual(placeholders(ptBR[k]));
      }
    }
  });

  it('keep the seed texts word for word in pt-BR', () => {
    expect(ptBR['tabs.all']).toBe('Todos os chats');
    expect(ptBR['tabs.open']).toBe('Chats abertos');
    expect(ptBR['tabs.mine']).toBe('Meus chats');
    expect(ptBR['tabs.in_service']).toBe('Em atendimento');
    expect(ptBR['resync.button']).toBe('Ressincronizar');
    expect(ptBR['resync.offline']).toBe(
      'Não foi possível reconectar ao servidor. Verifique sua conexão com a internet.',
    );
    expect(ptBR['message.internal']).toBe('Mensagem interna, não será enviada para o contato');
    expect(ptBR['composer.internal']).toBe('Interna?');
    expect(ptBR['window.expiring']).toBe('Expirando');
    expect(ptBR['window.expired']).toBe('Expirado');
    expect(ptBR['item.markUnread']).toBe('Marcar como não lido');
    // Seed 004's labels.
    expect(ptBR['profile.confirmAudio']).toBe('Mostrar confirmação de envio de áudio');
    expect(ptBR['contact.block']).toBe('Bloquear Contato');
    expect(ptBR['contact.unblock']).toBe('Desbloquear Contato');
    expect(ptBR['close.submit']).toBe('Encerrar');
    expect(ptBR['close.title']).toBe('Encerrar atendimento');
    expect(ptBR['actions.close']).toBe('Encerrar atendimento');
    // The server's 422 for a too-short search inside the conversation (LC-5).
    expect(ptBR['search.minChars']).toBe('Digite ao menos 2 caracteres para buscar.');
    // Seed 002's monitoring page.
    expect(ptBR['monitor.title']).toBe('Monitoramento');
    expect(ptBR['monitor.allInboxes']).toBe('Todos os números');
    expect(ptBR['monitor.card.queue']).toBe('Tickets na fila');
    expect(ptBR['monitor.card.longest']).toBe('Maior tempo na fila');
    expect(ptBR['monitor.card.inService']).toBe('Tickets em atendimento');
    expect(ptBR['monitor.card.firstReplyAvg']).toBe('Tempo médio até primeira resposta');
    expect(ptBR['monitor.card.firstReplyMax']).toBe('Tempo máximo até primeira resposta');
    expect(ptBR['monitor.card.replyAvg']).toBe('Tempo médio de resposta');
    expect(ptBR['monitor.card.attendanceAvg']).toBe('Tempo médio de atendimento');
    expect(ptBR['monitor.card.today']).toBe('Status dos tickets hoje');
    expect(ptBR['monitor.card.agents']).toBe('Status dos agentes');
    expect(ptBR['monitor.agents.avg']).toBe('Média de tickets por agente');
  });

  it('English differs from pt-BR where words are translated', () => {
    expect(translate('en', 'tabs.open')).toBe('Open chats');
    expect(translate('pt-BR', 'tabs.open')).not.toBe(translate('en', 'tabs.open'));
  });
});

describe('interpolate', () => {
  it('fills known placeholders and leaves unknown ones', () => {
    expect(interpolate('Em atendimento por {name}', { name: 'Ana' })).toBe('Em atendimento por Ana');
    expect(interpolate('{count} de {total}', { count: 2 })).toBe('2 de {total}');
    expect(interpolate('sem nada')).toBe('sem nada');
  });
});
