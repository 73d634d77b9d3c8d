/**
 * `@forge/events` queues in the sandbox: a push is accepted at once (as on Forge, the pushing
 * function carries on), and each event is later delivered to the `consumer` modules of its
 * queue, one at a time in push order, each as its own invocation. A consumer that throws is
 * recorded as a failure and does not stop the queue; Forge's retries are not simulated.
 */
import { createSerialQueue } from '../serial-queue';
import type { QueueHandler, QueueJobStats, QueuePush } from './forge-runtime';

export interface QueueDeliveryFailure {
  queueName: string;
  jobId: string;
  error: unknown;
}

export interface QueueDelivery {
  handler: QueueHandler;
  /** Resolves when every event pushed so far, and every event those consumers pushed, has been delivered. */
  idle(): Promise<void>;
  failures(): readonly QueueDeliveryFailure[];
  /** Events still queued are dropped from now on, as an uninstalled app gets none. */
  stop(): void;
}

export type DeliverToConsumers = (
  queueName: string,
  event: { queueName: string; jobId: string; body: Record<string, unknown> },
) => Promise<void>;

export const createQueueDelivery = (deliver: DeliverToConsumers): QueueDelivery => {
  const queue = createSerialQueue();
  let stopped = false;
  const failed: QueueDeliveryFailure[] = [];
  const jobs = new Map<string, QueueJobStats>();
  const jobKey = (queueName: string, jobId: string): string => `${queueName}\u0000${jobId}`;

  const push = (request: QueuePush): void => {
    const key = jobKey(request.queueName, request.jobId);
    const stats = jobs.get(key) ?? { success: 0, inProgress: 0, failed: 0 };
    stats.inProgress += request.events.length;
    jobs.set(key, stats);
    for (const event of request.events) {
      queue.enqueue(async () => {
        if (stopped) return;
        try {
          await deliver(request.queueName, { queueName: request.queueName, jobId: request.jobId, body: event.body });
          stats.success += 1;
        } catch (error) {
          stats.failed += 1;
          failed.push({ queueName: request.queueName, jobId: request.jobId, error });
        } finally {
          stats.inProgress -= 1;
        }
      });
    }
  };

  return {
    handler: {
      push,
      stats: ({ queueName, jobId }) => {
        const stats = jobs.get(jobKey(queueName, jobId));
        return stats === undefined ? undefined : { ...stats };
      },
    },
    idle: () => queue.idle(),
    failures: () => [...failed],
    stop: () => {
      stopped = true;
    },
  };
};
