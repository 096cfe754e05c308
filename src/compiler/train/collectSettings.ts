import type { DiagnosticBag } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/didYouMean.js';
import type { NoiseDecl, PhaseDecl, TrainEntry, TrainSetting } from '../syntax/ast.js';

/** Settings of a `train` section, in the order docs/training.md lists them. */
export const sectionSettings = [
  'data',
  'loss',
  'optimizer',
  'schedule',
  'regularize',
  'batch',
  'epochs',
  'metrics',
  'validation',
  'seed',
  'normalize',
  'augment',
  'weights',
  'freeze',
] as const;

/** Settings of a `phase`. */
export const phaseSettings = ['loss', 'optimizer', 'schedule', 'update', 'regularize'] as const;

export type SectionSetting = (typeof sectionSettings)[number];
export type PhaseSetting = (typeof phaseSettings)[number];

export interface Collected<K extends string> {
  readonly settings: ReadonlyMap<K, TrainSetting>;
  /**
   * Settings written under a misspelled key that "did you mean" named (`optimiser`): they
   * are reported once, as unknown, and not again as missing.
   */
  readonly misspelled: ReadonlySet<K>;
  readonly noise: readonly NoiseDecl[];
  readonly phases: readonly PhaseDecl[];
}

/**
 * Sorts the entries of a section (`where = 'section'`) or a phase by kind; reports unknown,
 * misplaced and duplicate settings. Every known setting appears once in the result.
 */
export function collectSettings<K extends string>(
  entries: readonly TrainEntry[],
  allowed: readonly K[],
  where: 'section' | 'phase',
  diagnostics: DiagnosticBag,
): Collected<K> {
  const settings = new Map<K, TrainSetting>();
  const misspelled = new Set<K>();
  const noise: NoiseDecl[] = [];
  const phases: PhaseDecl[] = [];
  for (const entry of entries) {
    if (entry.kind !== 'Setting') {
      if (where === 'phase') {
        const what = entry.kind === 'Noise' ? '`noise`' : 'a `phase`';
        diagnostics.error('NETC4005', entry.span, `${what} cannot be declared inside a phase`, {
          help: 'declare it at the top of the train section',
        });
      } else if (entry.kind === 'Noise') noise.push(entry);
      else phases.push(entry);
      continue;
    }
    const key = entry.key.name;
    const known = allowed.find((k) => k === key);
    if (!known) {
      const meant = reportUnknown(key, entry, allowed, where, diagnostics);
      const allowedMeant = allowed.find((k) => k === meant);
      if (allowedMeant !== undefined) misspelled.add(allowedMeant);
      continue;
    }
    const first = settings.get(known);
    if (first) {
      diagnostics.error('NETC4003', entry.key.span, `\`${key}\` is set twice`, {
        labels: [{ span: first.key.span, message: 'first set here' }],
        help: 'remove one of them',
      });
      continue;
    }
    settings.set(known, entry);
  }
  return { settings, misspelled, noise, phases };
}

/** Reports a key that is not a setting here; returns the setting it suggests instead, if any. */
function reportUnknown(
  key: string,
  entry: TrainSetting,
  allowed: readonly string[],
  where: 'section' | 'phase',
  diagnostics: DiagnosticBag,
): string | undefined {
  if (where === 'section' && (phaseSettings as readonly string[]).includes(key)) {
    diagnostics.error('NETC4005', entry.key.span, `\`${key}\` can only be set inside a \`phase\``, {
      help: 'a section without phases updates the network it trains',
    });
    return;
  }
  if (where === 'phase' && (sectionSettings as readonly string[]).includes(key)) {
    diagnostics.error('NETC4005', entry.key.span, `\`${key}\` cannot be set per phase`, {
      help: 'set it at the top of the train section',
    });
    return;
  }
  const meant = didYouMean(
    key,
    where === 'section' ? [...allowed, ...phaseSettings] : [...allowed, ...sectionSettings],
  );
  diagnostics.error('NETC4002', entry.key.span, `unknown setting \`${key}\``, {
    help:
      meant !== undefined
        ? `did you mean \`${meant}\`?`
        : `the settings ${where === 'section' ? 'of a train section' : 'of a phase'} are ${allowed.map((k) => `\`${k}\``).join(', ')}`,
  });
  return meant;
}
