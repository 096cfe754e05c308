/*
 * The compiler API (`import { compileFile } from 'netc'`). The runtime lives in
 * `netc/runtime` so that apps importing generated modules do not load the parser.
 */
export { compileFile, trainPlan, type CompiledFile, type CompiledNetwork } from './api.js';
export { analyzeFile, type CompileOptions, type AnalysisResult } from './compile.js';
export { parseSource } from './syntax/parse.js';
export type * from './syntax/ast.js';
export type * from './ir/ir.js';
export type * from './ir/ops.js';
export { printNetwork } from './ir/print.js';
export { verifyNetwork } from './ir/verify.js';
export type { SourceFile, Span } from './source.js';
export { lineColumnAt } from './source.js';
export type { Diagnostic, Severity, Label } from './diagnostics/diagnostic.js';
export { diagnosticCodes, type DiagnosticCode } from './diagnostics/codes.js';
export { formatShape } from './shapes/format.js';
export type * from './train/trainConfig.js';
