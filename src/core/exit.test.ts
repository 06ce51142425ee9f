import { describe, expect, it } from 'vitest';
import { EXIT_STAGE, onExit, runExitCleanups } from './exit.js';

describe('onExit', () => {
  it('runs cleanups once, processes before workspaces, past one that throws', () => {
    const ran: string[] = [];
    onExit(() => ran.push('workspace'), EXIT_STAGE.workspaces);
    onExit(() => {
      ran.push('failing');
      throw new Error('gone already');
    });
    onExit(() => ran.push('processes'), EXIT_STAGE.processes);
    const unregister = onExit(() => ran.push('finished normally'));
    unregister();
    runExitCleanups();
    runExitCleanups();
    expect(ran).toEqual(['failing', 'processes', 'workspace']);
  });
});
