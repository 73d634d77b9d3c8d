/**
 * Work done later, one task at a time in the order it was queued: how the sandbox delivers
 * Jira events to triggers and `@forge/events` pushes to consumers, asynchronously as Forge does.
 */
export interface SerialQueue {
  /** Runs `task` after everything queued before it; `task` must not reject (it records its own failure). */
  enqueue(task: () => Promise<void>): void;
  /** Resolves once every task queued so far, and every task those queued, has run. */
  idle(): Promise<void>;
}

export const createSerialQueue = (): SerialQueue => {
  let chain: Promise<void> = Promise.resolve();
  return {
    enqueue(task) {
      chain = chain.then(task);
    },
    idle: async () => {
      // A task may queue further tasks while it runs: wait until the chain is still.
      let seen: Promise<void> | undefined;
      while (seen !== chain) {
        seen = chain;
        await seen;
      }
    },
  };
};
