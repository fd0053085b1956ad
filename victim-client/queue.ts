import type { Element } from "ltx";
import type { LabError } from "../lab/core/errors.js";

/**
 * Incoming elements as a queue the negotiation can await, so the protocol reads top to
 * bottom. Every wait is bounded.
 */
export class ElementQueue {
  private readonly items: Element[] = [];
  private waiter: { resolve: (el: Element) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;

  push(el: Element): void {
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      w.resolve(el);
    } else this.items.push(el);
  }

  /** Take what arrived and was not awaited (stanzas the server sent right behind the last answer). */
  drain(): Element[] {
    return this.items.splice(0);
  }

  /** Fail the current and every later wait (socket closed, stream error, TLS failure). */
  fail(err: Error): void {
    this.failure ??= err;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      w.reject(this.failure);
    }
  }

  next(timeoutMs: number, onTimeout: () => LabError): Promise<Element> {
    const queued = this.items.shift();
    if (queued) return Promise.resolve(queued);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        reject(onTimeout());
      }, timeoutMs);
      this.waiter = {
        resolve: (el) => (clearTimeout(timer), resolve(el)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      };
    });
  }
}
