/**
 * Search inside the open conversation (LC-5): "campo de busca de mensagens"
 * with the magnifier, hits listed, a click goes to the message. The
 * 2-character hint is the server's own text, word for word.
 */
export const searchPtBR = {
  'search.open': 'Buscar mensagens',
  'search.label': 'Buscar mensagens nesta conversa',
  'search.placeholder': 'Digite o trecho da mensagem',
  'search.submit': 'Buscar',
  'search.close': 'Fechar busca',
  'search.minChars': 'Digite ao menos 2 caracteres para buscar.',
  'search.loading': 'Buscando…',
  'search.error': 'Não foi possível buscar: {message}',
  'search.none': 'Nenhuma mensagem encontrada.',
  'search.countOne': '1 mensagem encontrada',
  'search.count': '{count} mensagens encontradas',
  'search.countMax': 'As {count} mensagens mais recentes encontradas (pode haver mais antigas)',
  'search.position': '{index} de {count}',
  'search.results': 'Resultados da busca',
  'search.previous': 'Resultado anterior',
  'search.next': 'Próximo resultado',
  'search.keys': 'Use ↑ e ↓ para ir de um resultado a outro.',
  'search.jumping': 'Procurando a mensagem na conversa…',
  'search.shown': 'Mensagem de {time} mostrada na conversa.',
  'search.tooOld': 'A mensagem de {time} é antiga demais para ser mostrada na conversa.',
  'search.notFound': 'A mensagem de {time} não está mais na conversa.',
  'search.jumpError': 'Não foi possível carregar a mensagem: {message}',
} as const;
