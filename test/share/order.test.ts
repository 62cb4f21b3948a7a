/**
 * {@link Order}, the rule of which relayed message a client of a shared stream delivers, as a
 * table: the positions of a stream across leaders, with and without event IDs to resume from.
 */
import { describe, expect, it } from "vitest";
import type { SSEMessage } from "../../src/parser/message.js";
import { Order } from "../../src/share/order.js";

/** Message n of a stream: with id `n` when `id`, else carrying the last ID on. */
const withId = (n: number): SSEMessage => ({
  type: "message",
  data: String(n),
  lastEventId: String(n),
  id: String(n),
});
const noId = (n: number, lastEventId = ""): SSEMessage => ({
  type: "message",
  data: String(n),
  lastEventId,
});

/** A client that followed term `t1` from its start and delivered messages 1..n (with IDs). */
function following(n: number, message = withId): Order {
  const order = new Order("");
  order.follow({ id: "t1", from: 0, resumed: false });
  for (let s = 1; s <= n; s++) expect(order.accept("t1", s, message(s))).toBe(0);
  return order;
}

describe("Order: one leader", () => {
  it("delivers each next position once; a repeated one is dropped", () => {
    const order = following(3);
    expect(order.accept("t1", 3, withId(3))).toBe(false);
    expect(order.accept("t1", 4, withId(4))).toBe(0);
    expect(order).toMatchObject({ seq: 4, base: 4, lastEventId: "4" });
  });

  it("before joining a term, nothing is delivered (it came before the client)", () => {
    const order = new Order("");
    expect(order.accept("t1", 1, withId(1))).toBe(false);
  });

  it("a joining client takes the leader's position", () => {
    const order = new Order("");
    const at = { term: { id: "t1", from: 0, resumed: false }, seq: 7, base: 6, lastEventId: "6" };
    order.join(at);
    expect(order.accept("t1", 7, withId(7))).toBe(false);
    expect(order.accept("t1", 8, noId(8, "6"))).toBe(0);
    expect(order.position()).toEqual({ ...at, seq: 8 });
  });

  it("a client that joins at a new term starts at the term's start, with nothing lost", () => {
    const order = new Order("");
    order.follow({ id: "t5", from: 40, resumed: true });
    expect(order.accept("t5", 41, withId(41))).toBe(0);
  });

  it("a client that left joins again where the stream is then", () => {
    const order = following(2);
    order.leave();
    expect(order.accept("t1", 3, withId(3))).toBe(false);
    order.join({
      term: { id: "t4", from: 9, resumed: true },
      seq: 12,
      base: 12,
      lastEventId: "12",
    });
    expect(order.accept("t4", 13, withId(13))).toBe(0);
  });

  it("a gap is delivered, with the number of positions lost", () => {
    const order = following(2);
    expect(order.accept("t1", 5, withId(5))).toBe(2);
    expect(order.seq).toBe(5);
  });
});

describe("Order: a handover with an ID to resume from", () => {
  it("the new term starts after the message that set the ID", () => {
    const order = following(4);
    expect(order.lead("t2")).toEqual({ id: "t2", from: 4, resumed: true });
  });

  it("messages after the last ID, without one of their own, are resent: the term starts before them", () => {
    const order = following(2);
    expect(order.accept("t1", 3, noId(3, "2"))).toBe(0);
    expect(order.lead("t2")).toEqual({ id: "t2", from: 2, resumed: true });
    // The server resends 3, which this client has, then 4.
    expect(order.accept("t2", 3, noId(3, "2"))).toBe(false);
    expect(order.accept("t2", 4, withId(4))).toBe(0);
  });

  it("an ID set by an event without data: the term starts at the first message carrying it", () => {
    const order = following(2);
    // `id: x` alone, then message 3 carries x without an id field of its own.
    expect(order.accept("t1", 3, noId(3, "x"))).toBe(0);
    expect(order.lead("t2").from).toBe(2);
  });

  it("a follower ahead of the new leader skips what it had, then delivers", () => {
    const follower = following(5);
    follower.follow({ id: "t2", from: 4, resumed: true });
    expect(follower.accept("t2", 5, withId(5))).toBe(false);
    expect(follower.accept("t2", 6, withId(6))).toBe(0);
  });

  it("a follower level with the new leader delivers everything", () => {
    const follower = following(4);
    follower.follow({ id: "t2", from: 4, resumed: true });
    expect(follower.accept("t2", 5, withId(5))).toBe(0);
    expect(follower.accept("t2", 6, withId(6))).toBe(0);
  });

  it("a late message of the old term fills the position before the resume point, and no other", () => {
    const follower = following(3);
    follower.follow({ id: "t2", from: 4, resumed: true });
    expect(follower.accept("t1", 5, withId(5))).toBe(false);
    expect(follower.accept("t1", 4, withId(4))).toBe(0);
    expect(follower.accept("t1", 5, withId(5))).toBe(false);
    expect(follower.accept("t2", 5, withId(5))).toBe(0);
  });
});

describe("Order: a handover without an ID (nothing to resume from)", () => {
  it("the new term continues the new leader's count; every client takes it", () => {
    const leader = following(3, (n) => noId(n));
    expect(leader.lead("t2")).toEqual({ id: "t2", from: 3, resumed: false });
    const ahead = following(5, (n) => noId(n));
    ahead.follow({ id: "t2", from: 3, resumed: false });
    // What the new connection brings is new: delivered, though this client counted further.
    expect(ahead.accept("t2", 4, noId(4))).toBe(0);
  });

  it("late messages of the old term are dropped", () => {
    const follower = following(2, (n) => noId(n));
    follower.follow({ id: "t2", from: 2, resumed: false });
    expect(follower.accept("t1", 3, noId(3))).toBe(false);
    expect(follower.accept("t2", 3, noId(30))).toBe(0);
  });
});
