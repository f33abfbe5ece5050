-- Names searched without accents or case (RP-1's candidates, RP-2's
-- contact filter, the chat list's search): "joao" finds "João". Neither
-- backend folds accents portably, and folding every row at search time
-- (48 REPLACE calls a row on SQLite) took seconds on a million contacts, so
-- each contact keeps its name folded in `name_key`, written by the
-- database whenever the name is. The letters are those of
-- crates/store/src/fold.rs, which folds the searched term the same way.

ALTER TABLE contacts ADD COLUMN name_key TEXT GENERATED ALWAYS AS
    (translate(lower(name), 'áàâãäÁÀÂÃÄéèêëÉÈÊËíìîïÍÌÎÏóòôõöÓÒÔÕÖúùûüÚÙÛÜçÇñÑ', 'aaaaaaaaaaeeeeeeeeiiiiiiiioooooooooouuuuuuuuccnn')) STORED;
