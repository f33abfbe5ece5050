/**
 * pt-BR texts of a web-chat widget inbox's form ("Canais"): the allowed
 * sites, the look, the pre-chat form, identity verification and the code
 * a site pastes.
 */
export const inboxWidgetPtBR = {
  'admin.inboxes.widget.legend': 'Configurações do Webchat',
  'admin.inboxes.widget.origins': 'Sites permitidos',
  'admin.inboxes.widget.originsHint':
    'Um endereço por linha, só o site, sem caminho (ex.: https://www.loja.com.br). Só esses sites podem exibir o chat; use * para permitir qualquer site.',
  'admin.inboxes.widget.title': 'Título',
  'admin.inboxes.widget.titleHint': 'Aparece no topo do chat. Em branco, o nome do canal.',
  'admin.inboxes.widget.greeting': 'Saudação',
  'admin.inboxes.widget.greetingHint': 'As primeiras palavras que o visitante lê ao abrir o chat.',
  'admin.inboxes.widget.color': 'Cor de destaque',
  'admin.inboxes.widget.colorHex': 'Cor de destaque em hexadecimal (#rrggbb)',
  'admin.inboxes.widget.prechat': 'Formulário antes do chat',
  'admin.inboxes.widget.prechatHint': 'O que o visitante informa antes de escrever a primeira mensagem.',
  'admin.inboxes.widget.prechat.name': 'Nome',
  'admin.inboxes.widget.prechat.email': 'E-mail',
  'admin.inboxes.widget.prechat.phone': 'Telefone',
  'admin.inboxes.widget.ask.off': 'Desligado',
  'admin.inboxes.widget.ask.optional': 'Opcional',
  'admin.inboxes.widget.ask.required': 'Obrigatório',
  'admin.inboxes.widget.closedMessage': 'Mensagem fora do horário de atendimento',
  'admin.inboxes.widget.closedMessageHint':
    'Mostrada ao visitante quando o canal está fora do horário. Os horários são definidos no botão "Horário de atendimento" do cartão deste canal.',
  'admin.inboxes.widget.identity': 'Verificar a identidade dos visitantes',
  'admin.inboxes.widget.identityHint':
    'Para sites com login: um visitante identificado pelo site é o mesmo contato em qualquer dispositivo.',
  'admin.inboxes.widget.secretSet': 'Segredo de identidade: definido',
  'admin.inboxes.widget.generate': 'Gerar segredo',
  'admin.inboxes.widget.regenerate': 'Gerar novo segredo',
  'admin.inboxes.widget.secret': 'Segredo de identidade',
  'admin.inboxes.widget.secretNote':
    'Copie e guarde este segredo no servidor do seu site: ele não é exibido novamente depois de salvar. Para cada usuário logado, o site deve enviar identifier_hash = HMAC-SHA256(segredo, id do usuário), em hexadecimal.',
  'admin.inboxes.widget.copySecret': 'Copiar o segredo',
  'admin.inboxes.widget.embed': 'Código para o site',
  'admin.inboxes.widget.embedHint': 'Cole este código antes de </body> nas páginas dos sites permitidos.',
  'admin.inboxes.widget.copyEmbed': 'Copiar o código para o site',
  'admin.inboxes.widget.embedLater': 'Depois de criar o canal, o código para colar no site aparece ao editá-lo.',
  'admin.inboxes.widget.chatLink': 'Link direto do chat',
  'admin.inboxes.widget.chatLinkHint': 'Uma página só com o chat, para compartilhar por e-mail, redes sociais ou QR code.',
  'admin.inboxes.widget.copyChatLink': 'Copiar o link direto do chat',
  'admin.inboxes.widget.copied': 'Copiado.',
  'admin.inboxes.widget.copyFailed': 'Não foi possível copiar: selecione o texto e copie com Ctrl+C.',
  'admin.inboxes.widget.noOrigins': 'Informe ao menos um site permitido (ex.: https://www.loja.com.br).',
  'admin.inboxes.widget.badOrigins':
    'Endereço inválido em "Sites permitidos": {lines}. Use só o endereço do site, como https://www.loja.com.br, ou *.',
  'admin.inboxes.widget.tooManyOrigins': 'Informe no máximo {max} sites permitidos.',
  'admin.inboxes.widget.badColor': 'A cor de destaque deve estar no formato #rrggbb.',
  'admin.inboxes.widget.noSecret':
    'Para verificar a identidade dos visitantes, clique em "Gerar segredo" (ou desmarque a opção).',
  'admin.inboxes.widget.sites': 'Sites',
  'admin.inboxes.widget.anySite': 'Qualquer site',
  'admin.inboxes.widget.identityShort': 'Identidade verificada',
} as const;
