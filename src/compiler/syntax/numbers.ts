/** `3`, `0.5`, `1e-3`, `.5`: the number forms of LANGUAGE §1 (the lexer token is wider). */
const wellFormedNumber = /^(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export function isWellFormedNumber(text: string): boolean {
  return wellFormedNumber.test(text);
}
