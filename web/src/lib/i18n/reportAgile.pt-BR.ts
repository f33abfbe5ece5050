/**
 * pt-BR texts of the Fluxo Ágil report ("Relatório Fluxo Ágil", RP-3, seed
 * 003) in the report manager, and of the export control the spreadsheet
 * reports share. The seed's words are kept as it quotes them (the submenu's
 * name and description, "Período", the columns); the period's checks reuse
 * the server's sentences of the conversations report, which this report's
 * server shares (crates/server/src/reports/sessions.rs).
 */
export const reportAgilePtBR = {
  'reports.export': 'Exportar',
  'reports.kind.agile': 'Relatório Fluxo Ágil',
  'reports.kind.agileHint':
    'Apresenta dados analíticos sobre os contatos que interagiram com bots em diferentes canais. Esse relatório serve para acompanhamento de fluxos, validação de interações e análise de performance por lote, cliente e campanha.',
  'reports.agile.filters': 'Filtros do Relatório Fluxo Ágil',
  'reports.agile.periodHint': 'No máximo 31 dias, no horário de Brasília (por exemplo, 01/05/2025 a 31/05/2025).',
  'reports.agile.client': 'Cliente',
  'reports.agile.campaign': 'Campanha',
  'reports.agile.batch': 'Lote',
  'reports.agile.allClients': 'Todos',
  'reports.agile.allCampaigns': 'Todas',
  'reports.agile.allBatches': 'Todos',
  'reports.agile.optionsLoading': 'Carregando os clientes, campanhas e lotes do período…',
  'reports.agile.optionsError': 'Não foi possível carregar os clientes, campanhas e lotes do período: {message}',
  'reports.agile.rows': 'Contatos que interagiram com bots',
  'reports.agile.showing': 'Fluxos iniciados de {from} a {to}, dos mais recentes para os mais antigos.',
  'reports.agile.empty':
    'Nenhum contato interagiu com bots com esses filtros. Confira o período, o cliente, a campanha e o lote e tente novamente.',
  'reports.agile.loadError': 'Não foi possível carregar o relatório: {message}',
  'reports.agile.col.batch': 'Lote',
  'reports.agile.col.name': 'Nome',
  'reports.agile.col.document': 'CPF/CNPJ',
  'reports.agile.col.phone': 'Telefone',
  'reports.agile.col.email': 'Email',
  'reports.agile.col.flow': 'Fluxo',
  'reports.agile.col.conversations': 'Conversas',
  'reports.agile.col.messages': 'Mensagens',
  'reports.agile.col.action': 'Ação',
  'reports.agile.history': 'Ver histórico com o bot de {name}',
  'reports.agile.pages': 'Páginas do relatório',
  'reports.agile.range': '{first}–{last} de {total}',
  'reports.agile.previous': 'Anterior',
  'reports.agile.next': 'Próxima',
  'reports.agile.exportHint': 'A exportação traz todas as linhas da última busca, não só as desta página.',
  'reports.agile.historyTitle': 'Histórico com o bot de {name}',
  'reports.agile.transcript': 'Mensagens entre o contato e o bot',
  'reports.agile.noMessages': 'Nenhuma mensagem entre o contato e o bot nos fluxos deste período.',
  'reports.agile.messagesError': 'Não foi possível carregar o histórico: {message}',
  'reports.agile.truncated': 'Mostrando as primeiras {count} mensagens.',
  'reports.agile.noBatch': 'Sem lote',
  'reports.hint.agileProcessing':
    'O Atende está reunindo os contatos dos filtros aplicados. A planilha leva alguns segundos para ficar pronta.',
  'reports.hint.agileExpired':
    'Por segurança e para economizar espaço, o link de download não é permanente. Faça a busca no Relatório Fluxo Ágil e exporte novamente.',
  'reports.hint.agileTimeout':
    'O volume de dados é muito grande. Tente reduzir o período ou escolher um cliente, uma campanha ou um lote.',
};
