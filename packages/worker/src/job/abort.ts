/**
 * A job's abort state, with the `AbortController` created only when someone asks for the signal: most handlers
 * never look at it, and a controller plus its signal are the costliest objects of a job's bookkeeping. An abort
 * that comes first is remembered and applied when the signal is created.
 */
export class JobAbort {
  #controller: AbortController | undefined;
  #aborted: { readonly reason: unknown } | undefined;

  /** The job's signal (created on first use, already aborted if the job was). */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#aborted.reason);
    }
    return this.#controller.signal;
  }

  /** Aborts the job once; later calls keep the first reason. */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = { reason };
    this.#controller?.abort(reason);
  }

  /** The reason the job was aborted with, or `undefined` if it was not. */
  get reason(): unknown {
    return this.#aborted?.reason;
  }
}
