import type { LogLine } from '../logs/types.js';

/** How a drain reaches its receiver. `send` resolves once the batch is delivered. */
export interface Transport {
  /** The largest batch `send` takes. */
  readonly maxBatch: number;
  send(lines: readonly LogLine[]): Promise<void>;
  close(): void;
}

/** A failed delivery; `retriable` says whether sending the same batch later may work. */
export class DeliveryError extends Error {
  readonly retriable: boolean;

  constructor(message: string, retriable: boolean, cause?: unknown) {
    super(message, { cause });
    this.name = 'DeliveryError';
    this.retriable = retriable;
  }
}
