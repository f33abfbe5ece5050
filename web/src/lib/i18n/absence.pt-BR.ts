/**
 * pt-BR texts of the agent absence (LC-19): the "Ausência" dialog (from the
 * user menu, and for a user on the users page), the reminder by the user
 * menu and the users list's mark.
 */
export const absencePtBR = {
  'absence.menu': 'Ausência',
  'absence.title': 'Ausência',
  'absence.titleOf': 'Ausência de {name}',
  'absence.introSelf':
    'Avise seus clientes e leads quando você estiver indisponível por um período, como em férias ou desligamento. Enquanto a ausência estiver ativa, quem escrever em um chat atendido por você no canal escolhido recebe a mensagem abaixo, uma vez por atendimento. A mensagem continua sendo enviada enquanto a ausência não for desativada.',
  'absence.introOther':
    'Avise os clientes e leads de {name} de que este agente está indisponível por um período, como em férias ou desligamento. Enquanto a ausência estiver ativa, quem escrever em um chat atendido por {name} no canal escolhido recebe a mensagem abaixo, uma vez por atendimento. A mensagem continua sendo enviada enquanto a ausência não for desativada.',
  'absence.inbox': 'Canal',
  'absence.inboxOnly': 'Canal: {name}',
  'absence.noInboxes': 'Nenhum canal cadastrado.',
  'absence.onSince': 'Ausência ativa desde {when}',
  'absence.off': 'Ausência desativada neste canal',
  'absence.message': 'Mensagem de ausência',
  'absence.placeholder': 'Olá! Estou de férias até 20/07 e não consigo responder agora.',
  'absence.counter': '{count}/{max} caracteres',
  'absence.tooLong': 'A mensagem passou de {max} caracteres.',
  'absence.suggest': 'Sugerir outro agente',
  'absence.none': 'Nenhum',
  'absence.suggestHint': 'O contato recebe a mensagem com o botão "{button}"; ao tocar nele, o chat passa para {name}.',
  'absence.noSuggestHint': 'Sem sugestão, o contato recebe só a mensagem.',
  'absence.activate': 'Ativar ausência',
  'absence.save': 'Salvar',
  'absence.deactivate': 'Desativar ausência',
  'absence.deactivating': 'Desativando…',
  'absence.activated': 'Ausência ativada em {inbox}.',
  'absence.saved': 'Ausência salva em {inbox}.',
  'absence.deactivated': 'Ausência desativada em {inbox}.',
  'absence.loadError': 'Não foi possível carregar a ausência: {message}',
  'absence.saveError': 'Ausência não salva: {message}',
  'absence.clearError': 'Ausência não desativada: {message}',
  'absence.activeIn': 'Ausência ativa em {inboxes}',
  'absence.activeShort': 'Ausente',
  'absence.reminderHint': 'Abrir a ausência',
  'absence.absentIn': 'Ausente · {inboxes}',
} as const;
