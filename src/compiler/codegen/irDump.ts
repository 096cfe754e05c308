import type { AnalysisResult } from '../compile.js';
import { didYouMean } from '../diagnostics/didYouMean.js';
import { programPasses } from '../passes/index.js';
import { printProgram } from '../passes/printProgram.js';
import { buildPlan } from './build.js';
import { planPrograms } from './irListing.js';

/*
 * `--dump-ir`: the programs of a model after one stage of the pipeline, or after every
 * stage. The stages are `lower` (the programs as lowered, before any pass) and then each
 * pass of `programPasses` by name.
 */

export type IrDumpSpec =
  { readonly kind: 'all' } | { readonly kind: 'after'; readonly stage: string };

/** Every name `--dump-ir=after:NAME` accepts, in pipeline order. */
export function dumpStages(): string[] {
  return ['lower', ...programPasses.map((p) => p.name)];
}

/** `all` or `after:NAME`; a message naming the valid choices otherwise. */
export function parseIrDump(text: string): IrDumpSpec | { readonly error: string } {
  if (text === 'all') return { kind: 'all' };
  const stages = dumpStages();
  const choices = `\`after:lower\` (the programs as lowered), \`after:\` and a pass (${stages
    .slice(1)
    .map((s) => `\`${s}\``)
    .join(', ')}), or \`all\``;
  if (!text.startsWith('after:')) {
    return { error: `\`--dump-ir=${text}\` is not a stage: choose ${choices}` };
  }
  const stage = text.slice('after:'.length);
  if (!stages.includes(stage)) {
    const close = didYouMean(stage, stages);
    const hint = close === undefined ? '' : ` (did you mean \`after:${close}\`?)`;
    return { error: `no pass is named \`${stage}\`${hint}: choose ${choices}` };
  }
  return { kind: 'after', stage };
}

/**
 * The programs of `network`'s model at the stages `spec` asks for, grouped by program (each
 * program's stages in pipeline order), each titled `<network>: <program>, after <stage>`.
 * Without `fuse` only the `lower` stage exists.
 */
export function dumpIr(
  analysis: AnalysisResult,
  network: string,
  spec: IrDumpSpec,
  fuse: boolean,
): string {
  const wanted = (stage: string) => spec.kind === 'all' || spec.stage === stage;
  const byProgram = new Map<string, string[]>();
  const add = (label: string, text: string) => {
    let texts = byProgram.get(label);
    if (!texts) byProgram.set(label, (texts = []));
    texts.push(text);
  };
  const title = (label: string, stage: string) => `${network}: ${label}, after ${stage}`;
  if (wanted('lower')) {
    for (const { label, program } of planPrograms(buildPlan(analysis, network, { fuse: false })))
      add(label, printProgram(program, title(label, 'lower')));
  }
  if (fuse && !(spec.kind === 'after' && spec.stage === 'lower')) {
    buildPlan(analysis, network, {
      after: (pass, program, label) => {
        if (wanted(pass.name)) add(label, printProgram(program, title(label, pass.name)));
      },
    });
  }
  return [...byProgram.values()].flat().join('\n');
}
