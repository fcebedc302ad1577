import pg from 'pg';
import type { SessionWakeups } from '../session-wakeups.js';

const RECONNECT_FIRST_MS = 100;
const RECONNECT_MAX_MS = 5_000;

/**
 * Wakes this process's lease waiters when a run on any host releases a session: LISTEN on the
 * schema's release channel, on a connection of its own (a pooled one would be closed when idle,
 * and would take the LISTEN with it). NOTIFY is only a hint: a waiter also polls, so one missed
 * while reconnecting (after a server restart, say) costs a poll interval, never a run. When the
 * connection ends, a new one is made with backoff, and every waiter looks again at once.
 */
export class ReleaseListener {
  readonly #config: pg.ClientConfig;
  readonly #channel: string;
  readonly #wakeups: SessionWakeups;
  #client: pg.Client | undefined;
  #stopped = false;
  #delay = RECONNECT_FIRST_MS;
  #timer: NodeJS.Timeout | undefined;
  /** Whether a LISTEN is in place now: waiters poll more often without one. */
  listening = false;

  constructor(config: pg.ClientConfig, channel: string, wakeups: SessionWakeups) {
    this.#config = config;
    this.#channel = channel;
    this.#wakeups = wakeups;
  }

  /** Settles once listening or once the first try failed (the store works without it, by polling). */
  start(): Promise<void> {
    return this.#connect();
  }

  async #connect(): Promise<void> {
    if (this.#stopped) return;
    const client = new pg.Client(this.#config);
    this.#client = client;
    // an idle client's error would crash the process without a listener
    client.on('error', () => undefined);
    client.on('end', () => this.#lost(client));
    client.on('notification', (m) => {
      if (m.channel !== this.#channel) return;
      if (m.payload) this.#wakeups.wake(m.payload);
      else this.#wakeups.wakeAll();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${client.escapeIdentifier(this.#channel)}`);
      if (this.#stopped) {
        await client.end().catch(() => undefined);
        return;
      }
      this.listening = true;
      this.#delay = RECONNECT_FIRST_MS;
      // releases while we were not listening were missed: everyone looks again
      this.#wakeups.wakeAll();
    } catch {
      this.#lost(client);
      await client.end().catch(() => undefined);
    }
  }

  #lost(client: pg.Client): void {
    if (client !== this.#client || this.#stopped) return;
    this.listening = false;
    this.#client = undefined;
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#connect();
    }, this.#delay);
    this.#timer.unref();
    this.#delay = Math.min(this.#delay * 2, RECONNECT_MAX_MS);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.listening = false;
    if (this.#timer) clearTimeout(this.#timer);
    const client = this.#client;
    this.#client = undefined;
    if (client) await client.end().catch(() => undefined);
  }
}
