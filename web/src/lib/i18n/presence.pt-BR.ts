/**
 * pt-BR texts of the user's own status (LC-19: the header's control) and
 * of the organization's presence and ticket settings (admin
 * "Configurações").
 */
export const presencePtBR = {
  'status.online': 'Online',
  'status.paused': 'Pausa',
  'status.pausedWith': 'Pausa: {reason}',
  'status.invisible': 'Invisível',
  'status.button': 'Seu status: {status}',
  'status.menu': 'Mudar seu status',
  'status.pauseGroup': 'Pausa',
  'status.onlineHint': 'Recebe chats e aparece online',
  'status.pausedHint': 'Não recebe novos chats',
  'status.invisibleHint': 'Atende normalmente, mas aparece offline para os colegas',
  'status.saving': 'Mudando o status…',
  'status.error': 'Status não alterado: {message}',

  'settings.intro': 'Presença dos agentes e expiração dos tickets, para toda a organização.',
  'settings.presence': 'Presença',
  'settings.pauseReasons': 'Motivos de pausa',
  'settings.pauseReasonsHint':
    'Ao entrar em pausa, o agente escolhe um destes motivos. Sem motivos, a pausa fica sem motivo. Até 20 motivos, de 1 a 60 caracteres.',
  'settings.noReasons': 'Nenhum motivo de pausa.',
  'settings.newReason': 'Novo motivo de pausa',
  'settings.addReason': 'Adicionar',
  'settings.removeReason': 'Remover o motivo {reason}',
  'settings.reasonAdded': 'Motivo {reason} adicionado. Salve para valer.',
  'settings.reasonRemoved': 'Motivo {reason} removido. Salve para valer.',
  'settings.reasonEmpty': 'Escreva o motivo.',
  'settings.reasonTooLong': 'Cada motivo tem no máximo 60 caracteres.',
  'settings.reasonDuplicate': 'Este motivo já está na lista.',
  'settings.reasonsFull': 'No máximo 20 motivos de pausa.',
  'settings.awayMinutes': 'Minutos até o agente contar como ausente',
  'settings.awayMinutesHint':
    'Com o console fechado por esse tempo, o agente conta como offline para a distribuição e o monitoramento (de 1 a 1440).',
  'settings.awayInvalid': 'Use de 1 a 1440 minutos.',
  'settings.tickets': 'Tickets',
  'settings.expiryHours': 'Horas até a sessão do cliente expirar',
  'settings.expiryHint':
    'Sem mensagem do cliente por esse tempo, o ticket aberto termina como sessão expirada: perdido antes de um agente assumir, abandonado depois. 0 = nunca (até 720).',
  'settings.expiryInvalid': 'Use de 0 (nunca) a 720 horas.',
  'settings.saved': 'Configurações salvas.',
  'settings.saveError': 'Configurações não salvas: {message}',
} as const;
