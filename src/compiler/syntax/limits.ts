/*
 * Limits that keep hostile input from crashing or hanging the parser (and the passes after it,
 * which walk the AST recursively).
 */

/** Files above this many bytes (UTF-8) are not parsed. */
export const MAX_FILE_BYTES = 1024 * 1024;

/** Open brackets plus pending `if`s; the parser recurses once per level. */
export const MAX_NESTING = 64;

/** The AST handed to later passes is at most this deep (long operator chains nest to the left). */
export const MAX_TREE_DEPTH = 512;

/** After this many syntax errors a file is not worth reading further. */
export const MAX_SYNTAX_ERRORS = 100;
