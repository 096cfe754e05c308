import type { Span } from '../source.js';
import type { PhaseDecl, TrainSetting } from '../syntax/ast.js';
import { countRange, matchArgs, readScalar } from './args.js';
import { checkLoss } from './checkLoss.js';
import { collectSettings, phaseSettings } from './collectSettings.js';
import type { TrainContext } from './context.js';
import { checkOptimizer } from './optimizers.js';
import type { LossScope } from './lossScope.js';
import { checkRegularizer, checkSchedule } from './schedules.js';
import { updateNetworks } from './update.js';
import type {
  LossConfig,
  OptimizerConfig,
  PhaseConfig,
  RegularizerConfig,
  ScheduleConfig,
} from './trainConfig.js';

/** `loss`, `optimizer`, `schedule`, `regularize` as set at one level (section or phase). */
export interface Optimization {
  /** undefined when not set or wrong. */
  readonly loss: LossConfig | undefined;
  /** What the loss reads, known even when it had errors. */
  readonly lossUses: LossUses;
  readonly optimizer: OptimizerConfig | undefined;
  readonly schedule: ScheduleConfig | undefined;
  readonly regularize: RegularizerConfig | undefined;
  /**
   * Which settings were written (even if wrong or under a misspelled key), so a missing one
   * is reported only once.
   */
  readonly given: ReadonlySet<string>;
}

export interface LossUses {
  /** Networks the loss applies, in order of first use. */
  readonly networks: readonly string[];
  /** Values of the trained network it reads by name (`output`), fed from the data. */
  readonly implicit: readonly string[];
}

type OptimizationKey = 'loss' | 'optimizer' | 'schedule' | 'regularize';

export function checkOptimization(
  settings: ReadonlyMap<string, TrainSetting>,
  misspelled: ReadonlySet<string>,
  scope: LossScope,
  ctx: TrainContext,
): Optimization {
  const get = (key: OptimizationKey) => settings.get(key)?.value;
  const lossExpr = get('loss');
  const env = { scope, ctx, used: new Set<string>(), implicit: new Set<string>() };
  const loss = lossExpr && checkLoss(lossExpr, env);
  const optimizer = get('optimizer');
  const schedule = get('schedule');
  const regularize = get('regularize');
  return {
    loss,
    lossUses: { networks: [...env.used], implicit: [...env.implicit] },
    optimizer: optimizer && checkOptimizer(optimizer, ctx),
    schedule: schedule && checkSchedule(schedule, ctx),
    regularize: regularize && checkRegularizer(regularize, ctx),
    given: new Set(
      (['loss', 'optimizer', 'schedule', 'regularize'] as const).filter(
        (k) => settings.has(k) || misspelled.has(k),
      ),
    ),
  };
}

/** The phases of a section and every network they run, in order of first use. */
export interface CheckedPhases {
  readonly phases: readonly PhaseConfig[];
  readonly networks: readonly string[];
}

const lossExample = 'loss = cross_entropy(output, label)';
const optimizerExample = 'optimizer = adam(lr=1e-3)';

/**
 * The single phase of a section without phases: it updates the trained network with the
 * section's loss and optimizer, both required.
 */
export function singlePhase(
  network: string | undefined,
  section: Optimization,
  span: Span,
  ctx: TrainContext,
): CheckedPhases | undefined {
  requireSetting(
    section,
    'loss',
    span,
    `the train section has no \`loss\``,
    `add \`${lossExample}\``,
    ctx,
  );
  requireSetting(
    section,
    'optimizer',
    span,
    `the train section has no \`optimizer\``,
    `add \`${optimizerExample}\``,
    ctx,
  );
  const { loss, optimizer } = section;
  if (!network || !loss || !optimizer) return undefined;
  const used = section.lossUses.networks;
  if (!used.includes(network)) {
    ctx.diagnostics.error(
      'NETC4023',
      loss.span,
      `the loss does not use \`${network}\`, so training cannot change it`,
      {
        help: "compare the network's output with a target, e.g. `cross_entropy(output, label)`",
      },
    );
    return undefined;
  }
  const phase: PhaseConfig = {
    name: 'train',
    steps: 1,
    loss,
    optimizer,
    schedule: section.schedule ?? { kind: 'constant' },
    regularize: section.regularize,
    update: [network],
    span,
  };
  return { phases: [phase], networks: [network, ...used.filter((n) => n !== network)] };
}

/** Checks every `phase`; settings a phase leaves out come from the section. */
export function checkPhases(
  decls: readonly PhaseDecl[],
  section: Optimization,
  scope: LossScope,
  ctx: TrainContext,
): CheckedPhases | undefined {
  const phases: PhaseConfig[] = [];
  const used = new Set<string>();
  const names = new Map<string, Span>();
  let ok = true;
  for (const decl of decls) {
    const first = names.get(decl.name.name);
    if (first) {
      ctx.diagnostics.error(
        'NETC4036',
        decl.name.span,
        `phase \`${decl.name.name}\` is declared twice`,
        {
          labels: [{ span: first, message: 'first declared here' }],
        },
      );
      ok = false;
      continue;
    }
    names.set(decl.name.name, decl.name.span);
    const phase = checkPhase(decl, section, scope, ctx);
    if (!phase) {
      ok = false;
      continue;
    }
    phases.push(phase.config);
    for (const name of phase.used) used.add(name);
  }
  return ok ? { phases, networks: [...used] } : undefined;
}

function checkPhase(
  decl: PhaseDecl,
  section: Optimization,
  scope: LossScope,
  ctx: TrainContext,
): { readonly config: PhaseConfig; readonly used: readonly string[] } | undefined {
  const steps = phaseSteps(decl, ctx);
  const collected = collectSettings(decl.entries, phaseSettings, 'phase', ctx.diagnostics);
  const own = checkOptimization(collected.settings, collected.misspelled, scope, ctx);
  const pick = <K extends OptimizationKey>(key: K): Optimization[K] =>
    own.given.has(key) ? own[key] : section[key];
  const merged: Optimization = {
    loss: pick('loss'),
    lossUses: own.given.has('loss') ? own.lossUses : section.lossUses,
    optimizer: pick('optimizer'),
    schedule: pick('schedule'),
    regularize: pick('regularize'),
    given: new Set([...own.given, ...section.given]),
  };
  const name = decl.name.name;
  const where = `phase \`${name}\``;
  requireSetting(
    merged,
    'loss',
    decl.name.span,
    `${where} has no \`loss\``,
    'add `loss = ...` to the phase or to the section',
    ctx,
  );
  requireSetting(
    merged,
    'optimizer',
    decl.name.span,
    `${where} has no \`optimizer\``,
    `add \`${optimizerExample}\` to the phase or to the section`,
    ctx,
  );
  const updateSetting = collected.settings.get('update');
  if (!updateSetting && !collected.misspelled.has('update')) {
    ctx.diagnostics.error('NETC4004', decl.name.span, `${where} has no \`update\``, {
      help: updateHelp(merged.lossUses.networks, ctx),
    });
  }
  const { loss, optimizer } = merged;
  const update =
    updateSetting && updateNetworks(updateSetting.value, loss && merged.lossUses.networks, ctx);
  if (steps === undefined || !loss || !optimizer || !update) return undefined;
  return {
    config: {
      name,
      steps,
      loss,
      optimizer,
      schedule: merged.schedule ?? { kind: 'constant' },
      regularize: merged.regularize,
      update,
      span: decl.span,
    },
    used: merged.lossUses.networks,
  };
}

/** Proposes `update = ...` with the networks the phase's loss applies (or any network). */
function updateHelp(used: readonly string[], ctx: TrainContext): string {
  const candidates = used.length > 0 ? used : [...ctx.networks.keys()];
  const generic = 'add `update = ...` naming the networks this phase trains';
  if (candidates.length === 0) return generic;
  if (candidates.length === 1)
    return `add \`update = ${candidates[0]}\`: the network this phase trains`;
  const names = candidates.map((n) => `\`${n}\``);
  const list = `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return `${generic}; ${used.length > 0 ? 'its loss applies' : 'the networks are'} ${list}`;
}

function phaseSteps(decl: PhaseDecl, ctx: TrainContext): number | undefined {
  const call = { name: 'phase', nameSpan: decl.name.span, args: decl.args, span: decl.name.span };
  const matched = matchArgs(call, [{ name: 'steps', required: false }], ctx.diagnostics);
  if (!matched) return undefined;
  const steps = matched.get('steps');
  if (!steps) return 1;
  return readScalar(steps.expr, { name: 'steps', type: 'int', range: countRange }, ctx) as
    number | undefined;
}

function requireSetting(
  settings: Optimization,
  key: 'loss' | 'optimizer',
  span: Span,
  message: string,
  help: string,
  ctx: TrainContext,
): void {
  if (!settings.given.has(key)) ctx.diagnostics.error('NETC4004', span, message, { help });
}
