/**
 * Which run wrote each turn of a session, kept in a few bytes per run rather than per turn: the
 * index of each run's first turn (a run's turns are consecutive: one commit writes them), and
 * its id, packed into 16 bytes when it has the form every id made by newRunId has (a lowercase
 * UUID), else kept as the string. Append-only: a reader that saw the first `turns` turns gets
 * the same answer however many runs are added after (see idsUpTo).
 */
export class RunBoundaries {
  /** Index of each run's first turn (fewer than 2^32 turns a session). */
  #starts = new Uint32Array(0);
  /** 16 bytes per run: its id, when a lowercase UUID. */
  #uuids = new Uint8Array(0);
  /** Ids of any other form, by run. */
  #others: Map<number, string> | undefined;
  #count = 0;
  /** The last run's id, to tell whether the next turn is still its. */
  #last: string | undefined;

  /** Runs kept. */
  get count(): number {
    return this.#count;
  }

  /** Turn `index` was written by `runId`: a new run when the turn before was not. Answers the bytes it adds (RUN_BYTES, plus the id's text when not packed). */
  add(index: number, runId: string): number {
    if (runId === this.#last) return 0;
    this.#last = runId;
    const run = this.#count++;
    if (run === this.#starts.length) this.#grow();
    this.#starts[run] = index;
    if (packUuid(runId, this.#uuids, run * 16)) return RUN_BYTES;
    (this.#others ??= new Map()).set(run, runId);
    return runBytes(runId);
  }

  /** The run id of each of the first `turns` turns. */
  idsUpTo(turns: number): string[] {
    const ids: string[] = new Array(turns);
    for (let run = 0, i = 0; i < turns; run++) {
      const id = this.#others?.get(run) ?? formatUuid(this.#uuids, run * 16);
      const end = run + 1 < this.#count ? Math.min(this.#starts[run + 1]!, turns) : turns;
      for (; i < end; i++) ids[i] = id;
    }
    return ids;
  }

  #grow(): void {
    const size = this.#starts.length + (this.#starts.length >> 2) + 4;
    const starts = new Uint32Array(size);
    starts.set(this.#starts);
    this.#starts = starts;
    const uuids = new Uint8Array(16 * size);
    uuids.set(this.#uuids);
    this.#uuids = uuids;
  }
}

/**
 * What a kept run counts besides an id not packed: its start (4 bytes) and its id packed (16),
 * with room for the arrays' growth.
 */
export const RUN_BYTES = 24;
/** An id not packed: its string's header, and its entry in a map. */
const OTHER_ID_BYTES = 16 + 40;

/** The bytes a run of id `runId` counts. */
export const runBytes = (runId: string): number => (UUID.test(runId) ? RUN_BYTES : RUN_BYTES + OTHER_ID_BYTES + runId.length);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
/** Where each of the 16 bytes' two hex digits are in the id. */
const AT = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];

function packUuid(id: string, into: Uint8Array, offset: number): boolean {
  if (!UUID.test(id)) return false;
  for (let b = 0; b < 16; b++) into[offset + b] = parseInt(id.slice(AT[b]!, AT[b]! + 2), 16);
  return true;
}

function formatUuid(from: Uint8Array, offset: number): string {
  let s = '';
  for (let b = 0; b < 16; b++) {
    if (b === 4 || b === 6 || b === 8 || b === 10) s += '-';
    s += HEX[from[offset + b]!];
  }
  return s;
}
