import * as prettier from 'prettier';
import plugin from '../../src/prettier/index.js';

/** Formats `.net` source the way `netc fmt` does. */
export function formatNet(text: string, options: prettier.Options = {}): Promise<string> {
  return prettier.format(text, { parser: 'netc', plugins: [plugin], ...options });
}
