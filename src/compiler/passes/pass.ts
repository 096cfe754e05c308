import type { Program } from '../../runtime/program.js';

/*
 * A pass rewrites one kernel program into an equivalent one: same feeds, same state, same
 * results (to rounding), fewer or cheaper instructions. Passes are pure functions from
 * program to program, so each can be run, dumped (`netc build --dump-ir=after:NAME`) and
 * tested on its own.
 */
export interface ProgramPass {
  /** Lower-case, dash-separated: the name `--dump-ir=after:` takes. */
  readonly name: string;
  /** One line for `--help` and the docs. */
  readonly summary: string;
  run(program: Program): Program;
}
