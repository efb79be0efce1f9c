import type { Command } from 'commander';
import { registerServe } from './serve.js';

/** Every `elevate` sub-command. */
export function registerCommands(program: Command): void {
  registerServe(program);
}
