import type { Doc } from 'prettier';
import type { PhaseDecl, TrainDecl, TrainEntry } from '../compiler/syntax/ast.js';
import { nextCodeChar, type PrintContext } from './comments.js';
import { printArgs, printExpr, printIdentifier, type ExprPrinter } from './printExpressions.js';
import { exprPrinter } from './printStatements.js';
import { printBraced, printItems } from './sequence.js';

/*
 * `train` sections: `key = value` settings, `noise z: [100] ~ normal`, and
 * `phase name(args) { ... }` with their own entries.
 */

export function printTrain(train: TrainDecl, ctx: PrintContext): Doc {
  const p = exprPrinter(ctx);
  return ['train ', printIdentifier(train.target, ctx), ' ', printEntries(train, p)];
}

function printEntries(owner: TrainDecl | PhaseDecl, p: ExprPrinter): Doc {
  const entries = printItems(owner.entries, (entry) => printEntry(entry, p), p.ctx);
  return printBraced(owner, owner.entries, entries, p.ctx);
}

function printEntry(entry: TrainEntry, p: ExprPrinter): Doc {
  switch (entry.kind) {
    case 'Setting':
      return [printIdentifier(entry.key, p.ctx), ' = ', printExpr(entry.value, p, false)];
    case 'Noise':
      return [
        'noise ',
        printIdentifier(entry.name, p.ctx),
        ': ',
        printExpr(entry.shape, p, false),
        ' ~ ',
        printExpr(entry.distribution, p, false),
      ];
    case 'Phase':
      return ['phase ', printIdentifier(entry.name, p.ctx), printPhaseArgs(entry, p), ' ', printEntries(entry, p)];
  }
}

/** `(steps=1)`; empty parentheses are kept when the user wrote them. */
function printPhaseArgs(phase: PhaseDecl, p: ExprPrinter): Doc {
  if (phase.args.length > 0) return printArgs(phase.args, p);
  return nextCodeChar(p.ctx, phase.name.span.end) === '(' ? '()' : '';
}
