import type { Doc } from 'prettier';
import type { PhaseDecl, TrainDecl, TrainEntry } from '../compiler/syntax/ast.js';
import { nextCodeChar, type PrintContext } from './comments.js';
import { printArgs, printExpr, printIdentifier } from './printExpressions.js';
import { printBraced, printItems } from './sequence.js';

/*
 * `train` sections: `key = value` settings, `noise z: [100] ~ normal`, and
 * `phase name(args) { ... }` with their own entries.
 */

export function printTrain(train: TrainDecl, ctx: PrintContext): Doc {
  return ['train ', printIdentifier(train.target, ctx), ' ', printEntries(train, ctx)];
}

function printEntries(owner: TrainDecl | PhaseDecl, ctx: PrintContext): Doc {
  const entries = printItems(owner.entries, (entry) => printEntry(entry, ctx), ctx);
  return printBraced(owner, owner.entries, entries, ctx);
}

function printEntry(entry: TrainEntry, ctx: PrintContext): Doc {
  switch (entry.kind) {
    case 'Setting':
      return [printIdentifier(entry.key, ctx), ' = ', printExpr(entry.value, ctx, false)];
    case 'Noise':
      return [
        'noise ',
        printIdentifier(entry.name, ctx),
        ': ',
        printExpr(entry.shape, ctx, false),
        ' ~ ',
        printExpr(entry.distribution, ctx, false),
      ];
    case 'Phase':
      return [
        'phase ',
        printIdentifier(entry.name, ctx),
        printPhaseArgs(entry, ctx),
        ' ',
        printEntries(entry, ctx),
      ];
  }
}

/** `(steps=1)`; empty parentheses are kept when the user wrote them. */
function printPhaseArgs(phase: PhaseDecl, ctx: PrintContext): Doc {
  if (phase.args.length > 0) return printArgs(phase.args, ctx);
  return nextCodeChar(ctx, phase.name.span.end) === '(' ? '()' : '';
}
