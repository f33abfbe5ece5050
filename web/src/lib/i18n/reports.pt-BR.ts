/**
 * pt-BR texts of the report manager ("Gerenciador de relatórios", RP-1).
 * The statuses' and errors' sentences are not here: the server sends them,
 * word for word from seed 000, and the page shows them as sent. These are
 * the page's own labels, and the guidance the seed gives for each status
 * (its tooltips).
 */
export const reportsPtBR = {
  'reports.title': 'Gerenciador de relatórios',
  'reports.intro':
    'Gere relatórios em PDF a partir das interações dos contatos. O arquivo é processado e fica disponível para download na lista abaixo por 24 horas.',
  'reports.newReport': 'Novo relatório',
  'reports.period': 'Período',
  'reports.from': 'Data inicial',
  'reports.to': 'Data final',
  'reports.periodHint': 'Dias inteiros, no horário de Brasília.',
  'reports.periodMissing': 'Informe a data inicial e a data final do período.',
  'reports.periodFormat': 'Informe datas válidas no período.',
  'reports.periodOrder': 'A data inicial deve ser igual ou anterior à data final.',
  'reports.kind': 'Tipo de relatório',
  'reports.kind.history': 'Histórico completo de conversa',
  'reports.kind.historyHint':
    'Todas as interações de um contato, do chatbot e do atendimento humano, em um único PDF. O relatório é gerado para um contato por vez.',
  'reports.search': 'Nome, e-mail, telefone ou ID do contato',
  'reports.searchHint':
    'Nome e telefone permitem busca aproximada: informe-os de forma específica para evitar múltiplos resultados. E-mail e ID utilizam busca exata.',
  'reports.searchButton': 'Buscar',
  'reports.searching': 'Buscando…',
  'reports.searchRequired': 'Informe o nome, o e-mail, o telefone ou o ID do contato.',
  'reports.candidates': 'Contatos encontrados',
  'reports.candidatesOne': 'Um contato encontrado.',
  'reports.candidatesMany': '{count} contatos encontrados. Escolha um.',
  'reports.includeInternal': 'Incluir notas internas',
  'reports.includeInternalHint': 'Mensagens internas da equipe, que o contato não vê. Desligado por padrão.',
  'reports.generate': 'Gerar relatório',
  'reports.generating': 'Gerando…',
  'reports.chooseContact': 'Escolha um dos contatos encontrados para gerar o relatório.',
  'reports.list': 'Relatórios gerados',
  'reports.mine': 'Somente os meus relatórios',
  'reports.refresh': 'Atualizar lista',
  'reports.empty': 'Nenhum relatório foi gerado ainda.',
  'reports.emptyMine': 'Você ainda não gerou nenhum relatório.',
  'reports.loadError': 'Não foi possível carregar os relatórios: {message}',
  'reports.col.report': 'Relatório',
  'reports.col.created': 'Solicitado em',
  'reports.col.size': 'Tamanho',
  'reports.col.status': 'Situação',
  'reports.status.processing': 'Processando',
  'reports.status.ready': 'Disponível',
  'reports.status.failed': 'Falhou',
  'reports.status.expired': 'Expirado',
  'reports.expiresAt': 'expira em {time}',
  'reports.expiredAt': 'expirou em {time}',
  'reports.hint.processing':
    'O Atende está reunindo os dados. Como o histórico pode ser longo, o PDF leva alguns segundos para ficar pronto.',
  'reports.hint.ready':
    'Clique para salvar o PDF no seu computador. Os links de fotos, vídeos e áudios dentro dele ficam disponíveis por 72 horas.',
  'reports.hint.expired':
    'Por segurança e para economizar espaço, o link de download não é permanente. Faça a busca e clique em Gerar relatório novamente.',
  'reports.hint.timeout': 'O volume de dados deste contato é muito grande. Tente reduzir o intervalo de datas selecionado.',
  'reports.hint.noConversation': 'O contato não tem interações registradas no período selecionado.',
  'reports.hint.error': 'Algo não saiu como esperado. Tente novamente em alguns instantes.',
  'reports.announce': '{title}: {message}',
};
