import type { CstNode, IToken } from 'chevrotain';
import type { SourceFile } from '../source.js';
import { DiagnosticBag, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Comment, Definition, Program } from './ast.js';
import { lex } from './lexer.js';
import { layOut, type TopLevelItem } from './layout.js';
import { parser } from './parser.js';
import { SyntaxErrorBudgetSpent } from './grammar/netParser.js';
import { parseErrorDiagnostic } from './parseDiagnostics.js';
import { toDefinition } from './toAst/definitions.js';
import { docCommentBefore, toComment } from './docComments.js';
import { nodeDeeperThan } from './treeDepth.js';
import { explainNestedComments } from './nestedComments.js';
import { MAX_FILE_BYTES, MAX_NESTING, MAX_SYNTAX_ERRORS, MAX_TREE_DEPTH } from './limits.js';
import { Block, Const, Equals, Identifier, Import, Network, Train } from './tokens.js';
import { quoteSourceText } from './describe.js';
import { isRealToken, pointSpan, tokenEnd, tokenSpan } from './spans.js';

/**
 * Parses one `.net` file into its AST. Never throws, whatever the input: every problem is a
 * diagnostic, and the program holds every definition that could be parsed (with ErrorExpr
 * where an expression failed).
 */
export function parseSource(source: SourceFile): { program: Program; diagnostics: Diagnostic[] } {
  if (longerThanBytes(source.text, MAX_FILE_BYTES)) {
    return { program: program(source, [], []), diagnostics: [fileTooLarge(source)] };
  }
  const lexed = lex(source);
  const comments = lexed.comments.map((c) => toComment(source.path, c));
  const layout = layOut(source, lexed.tokens, lexed.comments);
  const reported: Diagnostic[] = [...lexed.diagnostics, ...layout.diagnostics];
  const unexpected = lexed.diagnostics.filter((d) => d.code === 'NETC1001');
  const tokenErrorStarts = reported.map((d) => d.span.start).sort((a, b) => a - b);

  const definitions: Definition[] = [];
  let stoppedAt: IToken | undefined;
  for (const item of layout.items) {
    const budget = MAX_SYNTAX_ERRORS - reported.length;
    if (budget <= 0) {
      stoppedAt = item.tokens[0];
      break;
    }
    const parsed = parseItem(source, lexed.comments, item, budget);
    reported.push(...parsed.diagnostics.filter((d) => !follows(unexpected, d, source.text)));
    if (parsed.definition) {
      const recovered =
        parsed.diagnostics.length > 0 || anyWithin(tokenErrorStarts, itemExtent(item));
      definitions.push(recovered ? markRecovered(parsed.definition) : parsed.definition);
    }
    if (parsed.abandoned) {
      stoppedAt = item.tokens[0];
      break;
    }
  }

  const parsedProgram = program(source, definitions, comments);
  const tooDeep = nodeDeeperThan(parsedProgram, MAX_TREE_DEPTH);
  if (tooDeep) {
    reported.push(treeTooDeep(tooDeep.span));
    return { program: program(source, [], comments), diagnostics: finish(reported, source) };
  }
  const diagnostics = explainNestedComments(
    finish(reported, source, stoppedAt),
    lexed.comments,
    lexed.tokens,
    source.path,
  );
  return { program: parsedProgram, diagnostics };
}

interface ParsedItem {
  readonly definition: Definition | undefined;
  readonly diagnostics: readonly Diagnostic[];
  /** The error budget ran out while parsing this item. */
  readonly abandoned: boolean;
}

const definitionStarts = [Import, Const, Block, Network, Train];

function parseItem(
  source: SourceFile,
  comments: readonly IToken[],
  item: TopLevelItem,
  budget: number,
): ParsedItem {
  const first = item.tokens[0]!;
  if (!definitionStarts.includes(first.tokenType)) {
    return { definition: undefined, diagnostics: [notADefinition(source, item)], abandoned: false };
  }
  parser.input = [...item.tokens];
  parser.errorBudget = budget;
  let cst: CstNode | undefined;
  let failure: Diagnostic | undefined;
  try {
    cst = parser.definition();
  } catch (error) {
    if (error instanceof RangeError) failure = parserTooDeep(source, first);
    else if (!(error instanceof SyntaxErrorBudgetSpent)) throw error;
  }
  const diagnostics = parser.errors.map((e) => parseErrorDiagnostic(e, item, source));
  if (failure) diagnostics.push(failure);
  if (!cst) return { definition: undefined, diagnostics, abandoned: failure === undefined };

  const bag = new DiagnosticBag();
  const doc = docCommentBefore(source.text, comments, first.startOffset);
  const definition = toDefinition({ file: source.path, bag }, cst, doc);
  return { definition, diagnostics: [...diagnostics, ...bag.items], abandoned: false };
}

/** From the first token of an item to the end of its last one. */
function itemExtent(item: TopLevelItem): { readonly start: number; readonly end: number } {
  const real = item.tokens.filter(isRealToken);
  const last = real[real.length - 1];
  return { start: real[0]?.startOffset ?? 0, end: last ? tokenEnd(last) : 0 };
}

/** Whether one of the sorted offsets lies in `[start, end)`. */
function anyWithin(sorted: readonly number[], extent: { start: number; end: number }): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < extent.start) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo]! < extent.end;
}

/** Marks a definition that holds recovered parts; imports have nothing to skip. */
function markRecovered(definition: Definition): Definition {
  return definition.kind === 'Import' ? definition : { ...definition, recovered: true };
}

function program(
  source: SourceFile,
  definitions: readonly Definition[],
  comments: readonly Comment[],
): Program {
  return {
    kind: 'Program',
    definitions,
    comments,
    span: { file: source.path, start: 0, end: source.text.length },
  };
}

/**
 * One diagnostic per position (the first reported: a lexer error explains a parse error at
 * the same place), in source order, at most MAX_SYNTAX_ERRORS of them.
 */
function finish(
  reported: readonly Diagnostic[],
  source: SourceFile,
  stoppedAt?: IToken,
): Diagnostic[] {
  const seen = new Set<number>();
  const unique: Diagnostic[] = [];
  for (const diagnostic of reported) {
    if (seen.has(diagnostic.span.start)) continue;
    seen.add(diagnostic.span.start);
    unique.push(diagnostic);
  }
  const sorted = unique.sort((a, b) => a.span.start - b.span.start);
  if (sorted.length <= MAX_SYNTAX_ERRORS && !stoppedAt) return sorted;
  const kept = sorted.slice(0, MAX_SYNTAX_ERRORS);
  const at = stoppedAt ? tokenSpan(source.path, stoppedAt) : kept[kept.length - 1]!.span;
  kept.push({
    code: 'NETC1024',
    severity: 'error',
    span: at,
    message: `too many syntax errors; stopped reading the file here`,
    notes: [`at most ${MAX_SYNTAX_ERRORS} syntax errors are reported per file`],
    help: 'fix the errors above and check again',
  });
  return kept;
}

/**
 * Whether `diagnostic` sits right after one of `causes` (sorted, only blanks between): a
 * parse error just after an unexpected character is a consequence of it (`1 && 2`, `b.c`).
 */
function follows(causes: readonly Diagnostic[], diagnostic: Diagnostic, text: string): boolean {
  const start = diagnostic.span.start;
  let lo = 0;
  let hi = causes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (causes[mid]!.span.end <= start) lo = mid + 1;
    else hi = mid;
  }
  const cause = causes[lo - 1];
  return cause !== undefined && /^\s*$/.test(text.slice(cause.span.end, start));
}

// ---------------------------------------------------------------- diagnostics of this module

function notADefinition(source: SourceFile, item: TopLevelItem): Diagnostic {
  const [first, second] = item.tokens;
  const looksLikeConstant = first?.tokenType === Identifier && second?.tokenType === Equals;
  return {
    code: 'NETC1012',
    severity: 'error',
    span: tokenSpan(source.path, first!),
    message: `expected a definition but found ${quoteSourceText(first!.image)}`,
    help: looksLikeConstant
      ? `define a constant with \`const ${first!.image} = ...\``
      : 'a file holds only `import`, `const`, `block`, `network` and `train` definitions',
  };
}

function fileTooLarge(source: SourceFile): Diagnostic {
  return {
    code: 'NETC5001',
    severity: 'error',
    span: pointSpan(source.path, 0),
    message: `file is larger than ${MAX_FILE_BYTES / (1024 * 1024)} MiB`,
    help: 'split it into several files and `import` them',
  };
}

function parserTooDeep(source: SourceFile, at: IToken): Diagnostic {
  return {
    code: 'NETC5002',
    severity: 'error',
    span: tokenSpan(source.path, at),
    message: 'definition nested too deeply to parse',
    notes: [`brackets and \`if\`s may nest at most ${MAX_NESTING} deep`],
    help: 'split the expression with `let` bindings, constants or blocks',
  };
}

function treeTooDeep(span: Diagnostic['span']): Diagnostic {
  return {
    code: 'NETC5002',
    severity: 'error',
    span,
    message: `expression nested more than ${MAX_TREE_DEPTH} levels deep`,
    notes: ['a long chain of operators such as `a + b + c + ...` nests one level per operator'],
    help: 'split the expression with `let` bindings or constants',
  };
}

/** Whether the UTF-8 encoding of `text` is longer than `limit` bytes (without encoding it). */
function longerThanBytes(text: string, limit: number): boolean {
  if (text.length > limit) return true;
  if (text.length * 3 <= limit) return false;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : 3;
    // A surrogate pair is 4 bytes in all: 3 counted for the high half, 1 for the low one.
    if (code >= 0xdc00 && code <= 0xdfff) bytes -= 2;
  }
  return bytes > limit;
}
