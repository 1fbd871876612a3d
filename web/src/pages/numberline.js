// Two acceptable ranges on one number line (SVG), with the gap between them or the zone where they meet marked
// and labelled: "at most 85,000" against "at least 250,000" troops draws a gap from 85,000 to 250,000.
// Values are numbers, or ISO dates (a quantity issue counted in days), drawn on a line of days.
import { h } from "../lib.js";

const DAY = 86400000;
const isDate = (value) => typeof value === "string" && /^\d{4}-\d{2}-\d{2}/.test(value);
const toNumber = (value) => (value === null || value === undefined ? null : isDate(value) ? Date.parse(value) / DAY : Number(value));

/** A value as the labels write it: a number with thousands separators, or a date. */
export function formatValue(value, dates = false) {
  if (value === null || value === undefined) return "…";
  if (dates) return new Date(Math.round(value) * DAY).toISOString().slice(0, 10);
  return Number(value).toLocaleString("en", { maximumFractionDigits: 2 });
}

/** A range in words: "at most 85,000 troops", "at least 250,000 troops", "1,000–1,500 prisoners". */
export function rangeText(range, unit = "") {
  const dates = isDate(range.min) || isDate(range.max);
  const low = range.min === null ? null : formatValue(toNumber(range.min), dates);
  const high = range.max === null ? null : formatValue(toNumber(range.max), dates);
  const tail = unit ? ` ${unit}` : "";
  if (low !== null && high !== null) return low === high ? `exactly ${low}${tail}` : `${low}–${high}${tail}`;
  if (high !== null) return `at most ${high}${tail}`;
  if (low !== null) return `at least ${low}${tail}`;
  return "any value";
}

/** Where two ranges leave a gap: [end of the lower, start of the higher], or null if they meet. */
export function gapBetween(a, b) {
  const [amin, amax, bmin, bmax] = [a.min, a.max, b.min, b.max].map(toNumber);
  if (amax !== null && bmin !== null && amax < bmin) return [amax, bmin];
  if (bmax !== null && amin !== null && bmax < amin) return [bmax, amin];
  return null;
}

/**
 * The figure: each side's range as a band on its own row over one axis, the gap (conflict) or the zone of
 * agreement shaded across both rows, and a caption that says the numbers in words.
 * `sides` is {kind: "conflict"|"agreement", a: {label, range}, b: {label, range}, zone, unit}.
 */
export function numberLine({ kind, a, b, zone, unit = "" }) {
  const dates = [a.range.min, a.range.max, b.range.min, b.range.max].some(isDate);
  const gap = kind === "conflict" ? gapBetween(a.range, b.range) : null;
  const meet = kind === "agreement" && zone ? [toNumber(zone.min), toNumber(zone.max)] : null;
  const known = [a.range.min, a.range.max, b.range.min, b.range.max].map(toNumber).filter((v) => v !== null);
  let lo = Math.min(...known);
  let hi = Math.max(...known);
  const pad = hi > lo ? (hi - lo) * 0.18 : Math.max(1, Math.abs(lo) * 0.2);
  lo -= pad;
  hi += pad;

  const width = Math.max(300, Math.min(640, (typeof window !== "undefined" ? window.innerWidth : 640) - 80));
  const left = 12;
  const right = width - 12;
  const x = (value) => left + ((value - lo) / (hi - lo)) * (right - left);
  const rows = { a: 42, b: 78 };
  const axis = 102;
  const height = 134;
  const top = 18;
  const tail = unit ? ` ${unit}` : "";
  const fmt = (value) => formatValue(value, dates);

  const parts = [];
  // The gap or the zone, behind the bands, across both rows.
  if (gap) {
    parts.push(h("svg:rect", { class: "nl-gap", x: x(gap[0]), y: top, width: Math.max(1, x(gap[1]) - x(gap[0])), height: axis - top }));
    parts.push(h("svg:text", { class: "nl-gap-label", x: (x(gap[0]) + x(gap[1])) / 2, y: 12, "text-anchor": "middle" }, "gap"));
  }
  if (meet) {
    const from = meet[0] === null ? left : x(meet[0]);
    const to = meet[1] === null ? right : x(meet[1]);
    parts.push(h("svg:rect", { class: "nl-zone", x: from, y: top, width: Math.max(2, to - from), height: axis - top }));
    parts.push(h("svg:text", { class: "nl-zone-label", x: (from + to) / 2, y: 12, "text-anchor": "middle" }, "zone"));
  }
  for (const [side, party] of [["a", a], ["b", b]]) {
    const min = toNumber(party.range.min);
    const max = toNumber(party.range.max);
    const from = min === null ? left : x(min);
    const to = max === null ? right : x(max);
    const y = rows[side];
    parts.push(h("svg:rect", { class: `nl-band nl-band-${side}`, x: from, y: y - 7, width: Math.max(3, to - from), height: 14, rx: 3 }));
    if (min === null) parts.push(h("svg:path", { class: `nl-open nl-band-${side}`, d: `M${left - 8},${y} l8,-7 v14 z` }));
    if (max === null) parts.push(h("svg:path", { class: `nl-open nl-band-${side}`, d: `M${right + 8},${y} l-8,-7 v14 z` }));
    // The label stands over its band, kept inside the figure: from the left edge, to the right edge, or centred.
    const centre = (from + to) / 2;
    const [at, anchor] = centre < width / 3 ? [Math.max(left, from), "start"] : centre > (2 * width) / 3 ? [Math.min(right, to), "end"] : [centre, "middle"];
    parts.push(h("svg:text", { class: "nl-band-label", x: at, y: y - 11, "text-anchor": anchor }, `${party.label}: ${rangeText(party.range, unit)}`));
  }
  // The axis, with a tick at each end of a range.
  parts.push(h("svg:line", { class: "nl-axis", x1: left, x2: right, y1: axis, y2: axis }));
  const ticks = [...new Set(known)].sort((p, q) => p - q);
  let lastLabel = -Infinity;
  for (const value of ticks) {
    parts.push(h("svg:line", { class: "nl-tick", x1: x(value), x2: x(value), y1: axis - 4, y2: axis + 4 }));
    // Labels that would overlap alternate below.
    const far = x(value) - lastLabel > 70;
    parts.push(h("svg:text", { class: "nl-tick-label", x: x(value), y: far ? axis + 16 : axis + 28, "text-anchor": "middle" }, fmt(value)));
    if (far) lastLabel = x(value);
  }

  let caption;
  if (gap) caption = `Gap: ${fmt(gap[0])}–${fmt(gap[1])}${tail}${dates ? "" : ` (${fmt(gap[1] - gap[0])}${tail} apart)`}`;
  else if (meet) caption = `Zone of agreement: ${rangeText(zone, unit)}`;
  else caption = "The ranges meet.";
  const label = `${a.label}: ${rangeText(a.range, unit)}; ${b.label}: ${rangeText(b.range, unit)}. ${caption}.`;
  return h("figure", { class: `numberline numberline-${kind}` },
    h("svg:svg", { viewBox: `0 0 ${width} ${height}`, width, height, role: "img", "aria-label": label }, parts),
    h("figcaption", { class: gap ? "nl-caption nl-caption-gap" : "nl-caption nl-caption-zone" }, caption),
  );
}
