// The product panel: watches one product's stock through the change stream (GET /api/stock/{id}/changes, server-sent
// events named "stock" whose data is the net-stock record) and shows every change as it arrives, without polling.

import { clock, count, el, fillRows, setText, stamp } from './format.js';

const MaxIdLength = 128;
const ChangesShown = 10;

export class StockWatch {
  #source = null;
  #productId = null;
  #version = 0;
  #available = null;
  #changes = [];
  #ui;

  constructor(root) {
    const find = (id) => root.querySelector(`#${id}`);
    this.#ui = {
      status: find('product-status'),
      view: find('product-view'),
      name: find('product-name'),
      live: find('product-live'),
      low: find('product-low'),
      onHand: find('stock-onhand'),
      reserved: find('stock-reserved'),
      inTransit: find('stock-intransit'),
      available: find('stock-available'),
      version: find('stock-version'),
      threshold: find('stock-threshold'),
      lastEvent: find('stock-last-event'),
      updated: find('stock-updated'),
      locations: find('stock-locations').tBodies[0],
      changes: find('stock-changes').tBodies[0],
    };
  }

  get productId() {
    return this.#productId;
  }

  /** Why `productId` cannot be watched (the API's own rule), or null. */
  static check(productId) {
    if (productId.length === 0) return 'Type a product id.';
    if (productId.length > MaxIdLength) return `A product id has at most ${MaxIdLength} characters, not ${productId.length}.`;
    return null;
  }

  /** Stops watching the previous product and starts on `productId`. */
  watch(productId) {
    this.stop();
    this.#productId = productId;
    this.#version = 0;
    this.#available = null;
    this.#changes = [];
    const ui = this.#ui;
    ui.view.hidden = false;
    ui.name.textContent = productId;
    ui.low.hidden = true;
    for (const cell of [ui.onHand, ui.reserved, ui.inTransit, ui.available, ui.version, ui.threshold, ui.lastEvent, ui.updated]) {
      cell.textContent = '–';
    }
    fillRows(ui.locations, [], 'no stock yet', 2);
    fillRows(ui.changes, [], 'none yet', 4);
    this.#state('connecting', '');
    ui.status.textContent = `Watching ${productId}…`;

    const source = new EventSource(`/api/stock/${encodeURIComponent(productId)}/changes`);
    this.#source = source;
    source.addEventListener('open', () => {
      this.#state('live', 'ok');
      if (this.#version === 0) ui.status.textContent = `No stock for ${productId} yet: it shows with its first change.`;
    });
    source.addEventListener('stock', (event) => this.#show(JSON.parse(event.data)));
    source.addEventListener('error', () => {
      // EventSource reconnects by itself; the first event after that is the current stock again.
      const closed = source.readyState === EventSource.CLOSED;
      this.#state(closed ? 'disconnected' : 'reconnecting', 'bad');
    });
  }

  stop() {
    this.#source?.close();
    this.#source = null;
  }

  #state(text, kind) {
    this.#ui.live.textContent = text;
    this.#ui.live.className = `pill ${kind}`.trim();
  }

  #show(stock) {
    // A reconnect starts with the current stock again: keep only what is newer than what is shown.
    if (stock.productId !== this.#productId || stock.version <= this.#version) return;
    const ui = this.#ui;
    const previous = this.#available;
    this.#version = stock.version;
    this.#available = stock.available;
    // Said once (a live region): a screen reader should not read out every change of a busy product.
    if (previous === null) ui.status.textContent = `Showing ${stock.productId} live: every change appears as it happens.`;
    setText(ui.onHand, count(stock.onHand), { flash: true });
    setText(ui.reserved, count(stock.reserved), { flash: true });
    setText(ui.inTransit, count(stock.inTransit), { flash: true });
    setText(ui.available, count(stock.available), { flash: true });
    setText(ui.version, count(stock.version), { flash: true });
    setText(ui.threshold, count(stock.lowStockThreshold));
    ui.lastEvent.textContent = stock.lastEventId ?? '–';
    ui.updated.dateTime = stock.updatedAt;
    ui.updated.textContent = stamp(new Date(stock.updatedAt));
    ui.low.hidden = !stock.lowStock;
    ui.low.title = `available ${stock.available} ≤ threshold ${stock.lowStockThreshold}`;

    const locations = Object.entries(stock.locations ?? {}).map(([location, onHand]) =>
      el('tr', {}, el('th', { scope: 'row', textContent: location }), el('td', { className: 'num', textContent: count(onHand) })));
    fillRows(ui.locations, locations, 'no stock yet', 2);

    const delta = previous === null ? '' : stock.available - previous;
    this.#changes.unshift({ version: stock.version, available: stock.available, delta, at: new Date() });
    this.#changes.length = Math.min(this.#changes.length, ChangesShown);
    fillRows(ui.changes, this.#changes.map((c) => el('tr', {},
      el('td', { className: 'num', textContent: count(c.version) }),
      el('td', { className: 'num', textContent: count(c.available) }),
      el('td', { className: 'num', textContent: c.delta === '' ? '' : `${c.delta > 0 ? '+' : ''}${count(c.delta)}` }),
      el('td', { textContent: clock(c.at) }))), 'none yet', 4);
  }
}
