// Formatting and small DOM helpers shared by the page's views.

const integer = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const rate = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });
const percent = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 1 });

/** A count with thousands separators ("12,345"); a dash for a missing one. */
export const count = (n) => (Number.isFinite(n) ? integer.format(n) : '–');

/** A rate with at most one decimal ("1,234.5"). */
export const perSecond = (n) => (Number.isFinite(n) ? rate.format(n) : '–');

/** A share of a whole ("12.5%"); empty when the whole is zero. */
export const share = (part, whole) => (whole > 0 ? percent.format(part / whole) : '');

/** A clock time in the browser's time zone ("14:03:07"). */
export const clock = (date) => date.toLocaleTimeString('en-GB', { hour12: false });

/** A date and time in the browser's time zone, unambiguous ("2026-12-01 14:03:07"). */
export const stamp = (date) => date.toLocaleString('sv-SE');

/** How long ago, short ("3 s ago", "5 min ago", "2 h ago"). */
export function ago(date, now = new Date()) {
  const seconds = Math.max(0, Math.round((now - date) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  return `${Math.round(seconds / 3600)} h ago`;
}

/** Partition numbers as ranges: [0, 1, 2, 3, 7] → "0–3, 7". */
export function ranges(numbers) {
  const sorted = [...numbers].sort((a, b) => a - b);
  const parts = [];
  for (let i = 0; i < sorted.length; i++) {
    const start = sorted[i];
    while (i + 1 < sorted.length && sorted[i + 1] === sorted[i] + 1) i++;
    parts.push(start === sorted[i] ? `${start}` : `${start}–${sorted[i]}`);
  }
  return parts.join(', ') || 'none';
}

/** A topic's short name: "inventory.sales" → "sales". */
export const shortTopic = (topic) => topic.replace(/^inventory\./, '');

/** Sets an element's text, and marks it for a moment when the text changed (not on the first fill). */
export function setText(element, text, { flash = false } = {}) {
  if (element.textContent === text) return;
  const first = element.textContent === '' || element.textContent === '–';
  element.textContent = text;
  if (flash && !first) {
    element.classList.remove('changed');
    // Reading layout restarts the animation when the value changes again within it.
    void element.offsetWidth;
    element.classList.add('changed');
  }
}

/** Creates an element with properties (textContent, className, title, …) and children. */
export function el(tag, properties = {}, ...children) {
  const element = document.createElement(tag);
  Object.assign(element, properties);
  element.append(...children);
  return element;
}

/** Replaces a table body's rows, or shows one row saying there is nothing. */
export function fillRows(tbody, rows, emptyText, columns) {
  if (rows.length === 0) {
    tbody.replaceChildren(el('tr', {}, el('td', { className: 'empty', colSpan: columns, textContent: emptyText })));
  } else {
    tbody.replaceChildren(...rows);
  }
}

/** Replaces a definition list with key → count pairs, largest first. */
export function fillPairs(list, entries, emptyText) {
  const sorted = Object.entries(entries ?? {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (sorted.length === 0) {
    list.replaceChildren(el('dt', { textContent: emptyText }), el('dd'));
    return;
  }
  list.replaceChildren(...sorted.flatMap(([key, value]) => [el('dt', { textContent: key, title: key }), el('dd', { textContent: count(value) })]));
}
