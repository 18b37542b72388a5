// The cluster panels: ingest tiles with their charts, outcomes, silos, reachability and lag per partition, all from one
// answer of GET /api/ops/stats (the cluster stats grain: what every silo reported within the last seconds); and the
// low-stock list from GET /api/low-stock.

import { ago, count, el, fillPairs, fillRows, perSecond, ranges, setText, share, shortTopic, stamp } from './format.js';
import { drawSparkline } from './sparkline.js';

const ChartWindowMs = 5 * 60 * 1000;
const LowStockShown = 20;

const byId = (id) => document.getElementById(id);

/** Shows one ClusterStats answer. */
export function showStats(stats) {
  const now = new Date(stats.at);
  showIngest(stats.totals, stats.history, now);
  showOutcomes(stats.totals);
  showReachability(stats.silos);
  showSilos(stats.silos, now);
  showPartitionLag(stats.lag, stats.silos);
}

/** Shows the low-stock list, lowest available first; `onPick(productId)` watches a product picked from it. */
export function showLowStock(list, onPick) {
  const items = [...(list.items ?? [])].sort((a, b) => a.available - b.available || a.productId.localeCompare(b.productId));
  const shown = items.slice(0, LowStockShown);
  byId('low-count').textContent = `(${count(items.length)})`;
  byId('low-empty').hidden = items.length > 0;
  byId('low-stock').hidden = items.length === 0;
  byId('low-more').hidden = items.length <= shown.length;
  byId('low-more').textContent = `The ${count(shown.length)} lowest of ${count(items.length)}; type a product id above to watch any of them.`;
  const rows = shown.map((item) => {
    const pick = el('button', { type: 'button', className: 'link', textContent: item.productId, title: `Watch ${item.productId}` });
    pick.addEventListener('click', () => onPick(item.productId));
    const since = new Date(item.at);
    const row = el('tr', {},
      el('th', { scope: 'row' }, pick),
      el('td', { className: 'num', textContent: count(item.available) }),
      el('td', { className: 'num', textContent: count(item.threshold) }),
      el('td', { className: 'num', textContent: count(item.version) }),
      el('td', {}, el('time', { dateTime: item.at, textContent: ago(since), title: stamp(since) })));
    row.dataset.product = item.productId;
    return row;
  });
  byId('low-stock').tBodies[0].replaceChildren(...rows);
}

function showIngest(totals, history, now) {
  setText(byId('events-per-second'), perSecond(totals.eventsPerSecond));
  setText(byId('total-lag'), count(totals.totalLag));
  setText(byId('messages'), count(totals.messages));
  setText(byId('dlq-count'), count(totals.deadLettered), { flash: true });
  fillPairs(byId('messages-by-topic'), renameTopics(totals.messagesByTopic), 'nothing read yet');
  fillPairs(byId('dlq-by-reason'), totals.deadLetteredByReason, 'nothing dead-lettered');

  const samples = history.map((s) => ({ at: new Date(s.at), rate: s.eventsPerSecond, lag: s.totalLag }));
  chart('rate-chart', 'rate-range', samples.map((s) => ({ at: s.at, value: s.rate })), '--chart-rate', now, 'events/s', perSecond);
  chart('lag-chart', 'lag-range', samples.map((s) => ({ at: s.at, value: s.lag })), '--chart-lag', now, 'messages behind', count);
}

// The chart spans the history there is (the stats grain keeps 5 minutes, from its activation on), at least a minute.
function chart(canvasId, rangeId, samples, colorVariable, now, unit, format) {
  const canvas = byId(canvasId);
  const span = samples.length > 0 ? now - samples[0].at : 0;
  const windowMs = Math.min(ChartWindowMs, Math.max(60_000, span));
  const max = drawSparkline(canvas, samples, { windowMs, colorVariable, now });
  const minutes = Math.round(windowMs / 60_000);
  const text = samples.length > 0
    ? `peak ${format(max)} ${unit} over the last ${minutes === 1 ? 'minute' : `${minutes} minutes`}`
    : 'no samples yet';
  byId(rangeId).textContent = text;
  canvas.setAttribute('aria-label', `${canvas.dataset.title}: ${text}`);
}

function showOutcomes(totals) {
  const outcomes = { applied: totals.applied, duplicate: totals.duplicate, rejected: totals.rejected, dead: totals.deadLettered };
  const whole = Object.values(outcomes).reduce((a, b) => a + b, 0);
  for (const [status, n] of Object.entries(outcomes)) {
    setText(byId(`outcome-${status}`), count(n));
    byId(`share-${status}`).textContent = share(n, whole);
    // CSSOM, not a style attribute: the page's content security policy allows no inline styles.
    byId('outcome-bar').querySelector(`.${status}`).style.flexGrow = String(n);
  }
  byId('outcome-bar').setAttribute('aria-label',
    `Outcomes: ${Object.entries(outcomes).map(([s, n]) => `${s} ${share(n, whole) || '0%'}`).join(', ')}`);

  const reasons = Object.entries(totals.rejectedByReason ?? {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  fillRows(byId('rejections').tBodies[0], reasons.map(([reason, n]) =>
    el('tr', {}, el('th', { scope: 'row', textContent: reason }), el('td', { className: 'num', textContent: count(n) }))), 'no rejections', 2);
}

function showReachability(silos) {
  for (const [name, pick] of [['kafka', (s) => s.kafka], ['redis', (s) => s.redis]]) {
    const badge = byId(`${name}-state`);
    const failing = silos.filter((s) => !pick(s).ok);
    if (silos.length === 0) {
      badge.textContent = 'no silo reporting';
      badge.className = 'pill bad';
      badge.title = '';
    } else if (failing.length === 0) {
      badge.textContent = silos.length === 1 ? 'reachable' : `reachable from all ${silos.length} silos`;
      badge.className = 'pill ok';
      badge.title = silos.map((s) => `${s.name}: ${pick(s).detail}`).join('\n');
    } else {
      badge.textContent = `unreachable from ${failing.length} of ${silos.length} silo${silos.length === 1 ? '' : 's'}`;
      badge.className = 'pill bad';
      badge.title = failing.map((s) => `${s.name}: ${pick(s).detail}`).join('\n');
    }
  }
}

function showSilos(silos, now) {
  const state = (reachability) => el('span', { className: `pill ${reachability.ok ? 'ok' : 'bad'}`, textContent: reachability.ok ? 'ok' : 'down', title: reachability.detail });
  const rows = silos.map((silo) => el('tr', {},
    el('th', { scope: 'row' }, el('div', { textContent: silo.name }), el('small', { className: 'range', textContent: `${silo.silo} · reported ${ago(new Date(silo.at), now)}` })),
    el('td', { textContent: ranges(silo.partitions) }),
    el('td', { className: 'num', textContent: perSecond(silo.counters.eventsPerSecond) }),
    el('td', { className: 'num', textContent: count(silo.counters.totalLag) }),
    el('td', {}, silo.pausedBecause
      ? el('span', { className: 'pill bad', textContent: `paused: ${silo.pausedBecause}` })
      : el('span', { className: 'pill ok', textContent: 'running' })),
    el('td', {}, state(silo.kafka)),
    el('td', {}, state(silo.redis))));
  fillRows(byId('silos').tBodies[0], rows, 'No silo reported in the last seconds.', 7);
}

function showPartitionLag(lag, silos) {
  const table = byId('partition-lag');
  const topics = [...new Set(lag.map((l) => l.topic))].sort();
  const partitions = [...new Set(lag.map((l) => l.partition))].sort((a, b) => a - b);
  const owner = new Map(silos.flatMap((s) => s.partitions.map((p) => [p, s.name])));
  const byKey = new Map(lag.map((l) => [`${l.topic}/${l.partition}`, l.lag]));
  const max = lag.reduce((m, l) => Math.max(m, l.lag), 0);

  const header = [el('th', { scope: 'col', className: 'num', textContent: 'Partition' }), el('th', { scope: 'col', textContent: 'Silo' })];
  header.push(...topics.map((t) => el('th', { scope: 'col', className: 'num', textContent: shortTopic(t), title: t })));
  table.tHead.rows[0].replaceChildren(...header);

  const rows = partitions.map((p) => el('tr', {},
    el('th', { scope: 'row', className: 'num', textContent: String(p) }),
    el('td', { textContent: owner.get(p) ?? '–' }),
    ...topics.map((t) => lagCell(byKey.get(`${t}/${p}`), max))));
  fillRows(table.tBodies[0], rows, 'No partition is consumed right now.', 2 + topics.length);
}

function lagCell(value, max) {
  const cell = el('td', { className: 'num bar' });
  if (value === undefined) {
    cell.textContent = '–';
    return cell;
  }
  const fill = el('span', { className: 'fill' });
  fill.style.width = `${max > 0 ? (value / max) * 100 : 0}%`;
  cell.append(fill, el('span', { className: 'value', textContent: count(value) }));
  return cell;
}

function renameTopics(byTopic) {
  return Object.fromEntries(Object.entries(byTopic ?? {}).map(([topic, n]) => [shortTopic(topic), n]));
}
