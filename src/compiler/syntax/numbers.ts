/**
 * `3`, `0.5`, `1e-3`: the number forms of LANGUAGE §1 (the lexer token is wider). A `.` needs
 * digits on both sides: `.5` and `5.` are malformed.
 */
const wellFormedNumber = /^\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

export function isWellFormedNumber(text: string): boolean {
  return wellFormedNumber.test(text);
}
