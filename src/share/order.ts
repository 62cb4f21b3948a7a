/**
 * The order of a shared stream across leaders: which relayed message a client delivers.
 *
 * Every message of the stream has a position, counted by the leaders one after another: each
 * leader's term starts where its connection resumes. A client delivers a message only at the next
 * position it lacks, so across a handover nobody repeats or skips one:
 *
 * - With an event ID to resume from, the new leader connects with `Last-Event-ID` and the server
 *   resends what followed that ID. The term starts at the position of the message that set the ID
 *   (`base`), so a resent message has the position it had; a client that had it (the old leader
 *   relayed it before going) skips it, one that had not (the new leader itself, maybe) delivers it.
 * - Without one (the stream has no IDs, or `id:` reset it), the server cannot resume: what the new
 *   connection brings is new. The term starts where the new leader stopped, every client takes
 *   the new numbering, and messages of the old term that arrive late are dropped; what the old
 *   leader received but never relayed is lost, as on any reconnection without an ID.
 *
 * | message                                   | delivered when                            |
 * |-------------------------------------------|-------------------------------------------|
 * | before the client joined a term           | never (it was sent before the client came) |
 * | of the current term                       | its position is past the client's          |
 * | of an earlier term (arriving late)        | resumed term, the next position, at most the term's start |
 */
import type { SSEMessage } from "../parser/message.js";

/** A leader's term, announced to every client when it takes over. */
export interface Term {
  /** Tells terms apart (random). */
  id: string;
  /** The position after which the term's connection resumes: its first message is `from + 1`. */
  from: number;
  /** Whether it resumed with `Last-Event-ID`, so that the server resends what followed. */
  resumed: boolean;
}

/** Where a client is in the stream: what a leader tells a client that joins. */
export interface Position {
  term: Term;
  /** The position of the last message delivered (0: none yet). */
  seq: number;
  /** The position of the message after which a resume with `lastEventId` starts. */
  base: number;
  lastEventId: string;
}

export class Order {
  /** The current term; undefined until the client joins one. */
  term: Term | undefined;
  seq = 0;
  base = 0;
  lastEventId: string;

  constructor(lastEventId: string) {
    this.lastEventId = lastEventId;
  }

  /** This client takes over: its term resumes from its last event ID, if it has one. */
  lead(id: string): Term {
    const resumed = this.lastEventId !== "";
    const term = { id, from: resumed ? this.base : this.seq, resumed };
    this.follow(term);
    return term;
  }

  /**
   * A new term: without a resume, its numbering is every client's from now on; a client that had
   * not joined yet joins at its start.
   */
  follow(term: Term): void {
    if (!term.resumed || !this.term) {
      this.seq = term.from;
      this.base = term.from;
    }
    this.term = term;
  }

  /** The client stopped: when it starts again, it joins the stream where it is then. */
  leave(): void {
    this.term = undefined;
  }

  /** Joins the stream where a leader is (the messages after it are this client's). */
  join(position: Position): void {
    ({ term: this.term, seq: this.seq, base: this.base, lastEventId: this.lastEventId } = position);
  }

  /** Where this client is, for a client that joins. */
  position(seq = this.seq): Position | undefined {
    const { term, base, lastEventId } = this;
    return term && { term, seq, base, lastEventId };
  }

  /**
   * Whether to deliver the message at position `seq` of term `termId`: `false` to drop it, else
   * the number of positions lost before it (0 unless a relayed message never arrived).
   */
  accept(termId: string, seq: number, message: SSEMessage): number | false {
    const term = this.term;
    if (!term) return false;
    if (termId !== term.id) {
      // A late message of an earlier term: it fills the next position before the resume point.
      if (!(term.resumed && seq === this.seq + 1 && seq <= term.from)) return false;
    } else if (seq <= this.seq) return false;
    const lost = seq - this.seq - 1;
    this.seq = seq;
    // A resume starts after the message that set the ID: after this one if its own `id:` did,
    // before it if an ID-only event between the two did.
    if (message.id !== undefined) this.base = seq;
    else if (message.lastEventId !== this.lastEventId) this.base = seq - 1;
    this.lastEventId = message.lastEventId;
    return lost;
  }
}
