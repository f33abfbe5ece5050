import type { readyPtBR } from './ready.pt-BR';

/** English texts of the tab counters and the ready responses. */
export const readyEn: Record<keyof typeof readyPtBR, string> = {
  'counts.tab': '{label}, {count}',

  'ready.title': 'Ready responses',
  'ready.intro':
    'Predefined replies agents insert in the chat: type / at the start of the message or use the "Ready responses" button. Variables such as {nome} are filled in on send.',
  'ready.empty': 'No categories yet. Create a category to start adding ready responses.',
  'ready.emptyCategory': 'No ready responses in this category.',
  'ready.count': 'Responses: {count}',
  'ready.newCategory': 'New category',
  'ready.categoryName': 'Category name',
  'ready.rename': 'Rename',
  'ready.renameTitle': 'Rename the category {name}',
  'ready.deleteCategoryDetail':
    'The category and its ready responses ({count}) will be deleted. This cannot be undone.',
  'ready.newResponse': 'New response',
  'ready.newResponseTitle': 'New response in {category}',
  'ready.editTitle': 'Edit the response {title}',
  'ready.responseTitle': 'Response title',
  'ready.responseText': 'Ready response',
  'ready.textHint': 'Text only. {nome} and the contact fields are filled in on send.',
  'ready.category': 'Category',
  'ready.moveHint': 'Changing the category moves the response.',
  'ready.chars': '{count} of {max} characters',
  'ready.tooLong': 'Over the {max}-character limit.',
  'ready.colTitle': 'Title',
  'ready.colText': 'Response',

  'ready.open': 'Ready responses',
  'ready.openHint': 'Insert a ready response in the message',
  'ready.search': 'Search ready responses',
  'ready.list': 'Ready responses by category',
  'ready.none': 'No ready responses yet.',
  'ready.noMatch': 'No ready response found.',
  'ready.loading': 'Loading ready responses…',
  'ready.loadError': 'Could not load the ready responses: {message}',
  'ready.retry': 'Try again',
  'ready.close': 'Close',
  'ready.suggestions': 'Ready response suggestions',
  'ready.suggestionsCount': 'Suggestions: {count}. ↑ and ↓ choose, Enter or Tab inserts, Esc closes.',
  'ready.internal': 'Internal message',
  'ready.internalHint': '/interna: only the team sees it',
};
