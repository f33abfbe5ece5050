import type { reportAgilePtBR } from './reportAgile.pt-BR';

/** English texts of the Fluxo Ágil report (RP-3). The server's sentences stay as it sends them (pt-BR). */
export const reportAgileEn: Record<keyof typeof reportAgilePtBR, string> = {
  'reports.export': 'Export',
  'reports.kind.agile': 'Agile Flow report',
  'reports.kind.agileHint':
    'Analytics on the contacts who interacted with bots on the different channels. Use it to follow flows, validate interactions and analyse performance by batch, client and campaign.',
  'reports.agile.filters': 'Agile Flow report filters',
  'reports.agile.periodHint': 'At most 31 days, in Brasília time (for example, 05/01/2025 to 05/31/2025).',
  'reports.agile.client': 'Client',
  'reports.agile.campaign': 'Campaign',
  'reports.agile.batch': 'Batch',
  'reports.agile.allClients': 'All',
  'reports.agile.allCampaigns': 'All',
  'reports.agile.allBatches': 'All',
  'reports.agile.optionsLoading': 'Loading the clients, campaigns and batches of the period…',
  'reports.agile.optionsError': 'Could not load the clients, campaigns and batches of the period: {message}',
  'reports.agile.rows': 'Contacts who interacted with bots',
  'reports.agile.showing': 'Flows started from {from} to {to}, newest first.',
  'reports.agile.empty':
    'No contact interacted with bots with these filters. Check the period, client, campaign and batch and try again.',
  'reports.agile.loadError': 'Could not load the report: {message}',
  'reports.agile.col.batch': 'Batch',
  'reports.agile.col.name': 'Name',
  'reports.agile.col.document': 'CPF/CNPJ',
  'reports.agile.col.phone': 'Phone',
  'reports.agile.col.email': 'Email',
  'reports.agile.col.flow': 'Flow',
  'reports.agile.col.conversations': 'Conversations',
  'reports.agile.col.messages': 'Messages',
  'reports.agile.col.action': 'Action',
  'reports.agile.history': 'See the history with the bot of {name}',
  'reports.agile.pages': 'Report pages',
  'reports.agile.range': '{first}–{last} of {total}',
  'reports.agile.previous': 'Previous',
  'reports.agile.next': 'Next',
  'reports.agile.exportHint': 'The export has every row of the last search, not only the ones on this page.',
  'reports.agile.historyTitle': 'History with the bot of {name}',
  'reports.agile.transcript': 'Messages between the contact and the bot',
  'reports.agile.noMessages': 'No message between the contact and the bot in the flows of this period.',
  'reports.agile.messagesError': 'Could not load the history: {message}',
  'reports.agile.truncated': 'Showing the first {count} messages.',
  'reports.agile.noBatch': 'No batch',
  'reports.hint.agileProcessing':
    'Atende is gathering the contacts of the filters applied. The spreadsheet takes a few seconds to be ready.',
  'reports.hint.agileExpired':
    'For security and to save space, the download link is not permanent. Search again in the Agile Flow report and export again.',
  'reports.hint.agileTimeout':
    'There is too much data. Try a shorter period or choose a client, a campaign or a batch.',
};
