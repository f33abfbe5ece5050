/**
 * pt-BR texts of the tab counters (LC-1) and the ready responses (LC-20):
 * the admin page and the composer's quick insert. `pt-BR.ts` spreads them
 * in. Wording after seed 002 ("Respostas prontas", "categoria", "título da
 * resposta", "resposta pronta").
 */
export const readyPtBR = {
  'counts.tab': '{label}, {count}',

  'ready.title': 'Respostas prontas',
  'ready.intro':
    'Frases pré-definidas que os agentes inserem no chat: digite / no início da mensagem ou use o botão "Respostas prontas". Variáveis como {nome} são preenchidas no envio.',
  'ready.empty': 'Nenhuma categoria ainda. Crie uma categoria para começar a cadastrar respostas prontas.',
  'ready.emptyCategory': 'Nenhuma resposta pronta nesta categoria.',
  'ready.count': 'Respostas: {count}',
  'ready.newCategory': 'Nova categoria',
  'ready.categoryName': 'Nome da categoria',
  'ready.rename': 'Renomear',
  'ready.renameTitle': 'Renomear a categoria {name}',
  'ready.deleteCategoryDetail':
    'A categoria e as respostas prontas dela ({count}) serão excluídas. Esta ação não pode ser desfeita.',
  'ready.newResponse': 'Nova resposta',
  'ready.newResponseTitle': 'Nova resposta em {category}',
  'ready.editTitle': 'Editar a resposta {title}',
  'ready.responseTitle': 'Título da resposta',
  'ready.responseText': 'Resposta pronta',
  'ready.textHint': 'Só texto. {nome} e os campos do contato são preenchidos no envio.',
  'ready.category': 'Categoria',
  'ready.moveHint': 'Trocar a categoria move a resposta.',
  'ready.chars': '{count} de {max} caracteres',
  'ready.tooLong': 'Acima do limite de {max} caracteres.',
  'ready.colTitle': 'Título',
  'ready.colText': 'Resposta',

  'ready.open': 'Respostas prontas',
  'ready.openHint': 'Inserir uma resposta pronta na mensagem',
  'ready.search': 'Buscar resposta pronta',
  'ready.list': 'Respostas prontas por categoria',
  'ready.none': 'Nenhuma resposta pronta cadastrada.',
  'ready.noMatch': 'Nenhuma resposta pronta encontrada.',
  'ready.loading': 'Carregando respostas prontas…',
  'ready.loadError': 'Não foi possível carregar as respostas prontas: {message}',
  'ready.retry': 'Tentar de novo',
  'ready.close': 'Fechar',
  'ready.suggestions': 'Sugestões de respostas prontas',
  'ready.suggestionsCount': 'Sugestões: {count}. ↑ e ↓ escolhem, Enter ou Tab insere, Esc fecha.',
  'ready.internal': 'Mensagem interna',
  'ready.internalHint': '/interna: só a equipe vê',
} as const;
