/**
 * The map's own layout, cheap enough for thousands of nodes and stable under live updates.
 * Islands are discs packed in rows (largest first); inside an island nodes sit on concentric rings, the most
 * connected node in the centre, each on the side of its ring that faces the nodes it talks to. Every node keeps its ring slot in `LayoutMemory`, so a refresh only places the
 * newcomers (in the island's first free slot) and a collapsed island that expands again looks as before.
 * Pure apart from mutating the memory it is given.
 * @module
 */
import type { MapModel } from './map-model.js';

export interface Point {
  readonly x: number;
  readonly y: number;
}

interface IslandSlots {
  center: Point;
  readonly slotOf: Map<string, number>;
  readonly taken: Set<number>;
}

/** what a map remembers between updates; owned by one map instance */
export interface LayoutMemory {
  readonly islands: Map<string, IslandSlots>;
  /** where the next new island goes: the current row of the packing */
  cursor: { x: number; y: number; rowHeight: number; rowWidth: number };
}

export const RING_GAP = 110;
export const SLOT_ARC = 150;
const ISLAND_PAD = 60;
const ISLAND_GAP = 90;
/** the pseudo island holding every node of a map drawn without islands */
export const FLAT_ISLAND = '__all__';

export function createLayoutMemory(): LayoutMemory {
  return { islands: new Map(), cursor: { x: 0, y: 0, rowHeight: 0, rowWidth: 0 } };
}

/** slots on ring k: 1 in the centre, then as many as fit SLOT_ARC apart */
export function ringCapacity(k: number): number {
  return k === 0 ? 1 : Math.floor((2 * Math.PI * k * RING_GAP) / SLOT_ARC);
}

/** offset of slot `index` from its island's centre */
export function slotOffset(index: number): Point {
  let k = 0;
  let first = 0;
  while (index >= first + ringCapacity(k)) {
    first += ringCapacity(k);
    k++;
  }
  if (k === 0) return { x: 0, y: 0 };
  const angle = ((index - first) / ringCapacity(k)) * 2 * Math.PI + k * 0.6 - Math.PI / 2;
  return { x: Math.round(k * RING_GAP * Math.cos(angle)), y: Math.round(k * RING_GAP * Math.sin(angle)) };
}

/** radius of an island that must hold `count` nodes (plus room to grow) */
export function islandRadius(count: number): number {
  const want = count < 8 ? count : Math.ceil(count * 1.1);
  let k = 0;
  let total = ringCapacity(0);
  while (total < want) {
    k++;
    total += ringCapacity(k);
  }
  return k * RING_GAP + ISLAND_PAD;
}

interface IslandBox {
  readonly id: string;
  readonly members: readonly string[];
  readonly radius: number;
}

function islandsOf(model: MapModel): IslandBox[] {
  if (model.islands.length === 0) {
    const members = [...model.nodes].sort((a, b) => b.degree - a.degree).map((n) => n.id);
    return [{ id: FLAT_ISLAND, members, radius: islandRadius(members.length) }];
  }
  return model.islands.map((i) => ({ id: i.id, members: i.members, radius: islandRadius(i.members.length) }));
}

/** packs new islands into rows; the first call fixes the row width from the total area */
function packIslands(boxes: readonly IslandBox[], memory: LayoutMemory): Map<string, Point> {
  const out = new Map<string, Point>();
  const c = memory.cursor;
  if (c.rowWidth === 0) {
    const area = boxes.reduce((sum, b) => sum + (2 * b.radius + ISLAND_GAP) ** 2, 0);
    const widest = boxes.reduce((max, b) => Math.max(max, 2 * b.radius), 0);
    c.rowWidth = Math.max(widest, Math.sqrt(area) * 1.5);
  }
  for (const b of boxes) {
    const d = 2 * b.radius;
    if (c.x > 0 && c.x + d > c.rowWidth) {
      c.x = 0;
      c.y += c.rowHeight + ISLAND_GAP;
      c.rowHeight = 0;
    }
    out.set(b.id, { x: c.x + b.radius, y: c.y + b.radius });
    c.x += d + ISLAND_GAP;
    c.rowHeight = Math.max(c.rowHeight, d);
  }
  return out;
}

/**
 * Positions for every drawn node of `model`. Known nodes keep their slots; new islands are packed after the
 * existing ones (largest first); new members take their island's first free slots, most connected first.
 */
export function placeNodes(model: MapModel, memory: LayoutMemory): Map<string, Point> {
  const boxes = islandsOf(model);
  const fresh = boxes.filter((b) => !memory.islands.has(b.id)).sort((a, b) => b.radius - a.radius);
  for (const [id, center] of packIslands(fresh, memory)) {
    memory.islands.set(id, { center, slotOf: new Map(), taken: new Set() });
  }
  const positions = new Map<string, Point>();
  const neighbours = neighbourLists(model);
  const islandOf = new Map(model.nodes.map((n) => [n.id, n.parent ?? n.id] as const));
  /** where a drawn node is now, as far as known: its slot, else its island's centre */
  const whereIs = (id: string): Point | undefined => {
    const island = memory.islands.get(islandOf.get(id) ?? id) ?? memory.islands.get(FLAT_ISLAND);
    if (!island) return undefined;
    const slot = island.slotOf.get(id);
    if (slot === undefined) return island.center;
    const o = slotOffset(slot);
    return { x: island.center.x + o.x, y: island.center.y + o.y };
  };
  for (const box of boxes) {
    const slots = memory.islands.get(box.id)!;
    const fresh = box.members.filter((m) => !slots.slotOf.has(m));
    let next = 0;
    for (let i = 0; i < fresh.length; ) {
      while (slots.taken.has(next)) next++;
      // the ring of the first free slot takes the next most connected members, as many as it has room for
      const free = freeSlotsOnRing(next, slots.taken);
      const group = fresh.slice(i, i + free.length);
      i += group.length;
      const wishes = group.map((m) => ({ m, wish: preference(slots.center, neighbours.get(m), whereIs) }));
      // the members pulled hardest towards known neighbours choose first; the others fill the rest in order
      wishes.sort((a, b) => (b.wish?.strength ?? 0) - (a.wish?.strength ?? 0));
      for (const { m, wish } of wishes) {
        const slot = nearestSlot(free, wish?.angle);
        free.splice(free.indexOf(slot), 1);
        slots.slotOf.set(m, slot);
        slots.taken.add(slot);
      }
    }
    for (const member of box.members) {
      const offset = slotOffset(slots.slotOf.get(member)!);
      positions.set(member, { x: slots.center.x + offset.x, y: slots.center.y + offset.y });
    }
    positions.set(box.id, slots.center);
  }
  return positions;
}

/** drawn node id -> the drawn nodes it shares an edge with */
function neighbourLists(model: MapModel): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (a: string, b: string) => {
    const list = out.get(a);
    if (list) list.push(b);
    else out.set(a, [b]);
  };
  for (const e of model.edges) {
    if (e.source === e.target) continue;
    add(e.source, e.target);
    add(e.target, e.source);
  }
  return out;
}

/** the direction from `center` towards the neighbours whose place is known, and how hard they pull */
function preference(
  center: Point,
  neighbours: readonly string[] | undefined,
  whereIs: (id: string) => Point | undefined,
): { angle: number; strength: number } | undefined {
  let x = 0;
  let y = 0;
  for (const n of neighbours ?? []) {
    const p = whereIs(n);
    if (!p) continue;
    const d = Math.hypot(p.x - center.x, p.y - center.y);
    if (d < 1) continue;
    x += (p.x - center.x) / d;
    y += (p.y - center.y) / d;
  }
  const strength = Math.hypot(x, y);
  return strength < 1e-6 ? undefined : { angle: Math.atan2(y, x), strength };
}

/** the free slots of the ring that slot `index` is on, in slot order */
function freeSlotsOnRing(index: number, taken: ReadonlySet<number>): number[] {
  let k = 0;
  let start = 0;
  while (index >= start + ringCapacity(k)) {
    start += ringCapacity(k);
    k++;
  }
  const out: number[] = [];
  for (let i = start; i < start + ringCapacity(k); i++) if (!taken.has(i)) out.push(i);
  return out;
}

/** of `free` (non-empty), the slot whose direction from the centre is closest to `angle`; the first without one */
function nearestSlot(free: readonly number[], angle: number | undefined): number {
  if (angle === undefined) return free[0]!;
  let best = free[0]!;
  let bestGap = Number.POSITIVE_INFINITY;
  for (const i of free) {
    const o = slotOffset(i);
    if (o.x === 0 && o.y === 0) return i;
    const d = Math.atan2(o.y, o.x) - angle;
    const gap = Math.abs(Math.atan2(Math.sin(d), Math.cos(d)));
    if (gap < bestGap) {
      bestGap = gap;
      best = i;
    }
  }
  return best;
}
