// The inventory page: wires the product search to the live stock watch and refreshes the cluster panels every second.
// Vanilla JavaScript modules, no framework, nothing from outside this host.

import { clock } from './format.js';
import { showLowStock, showStats } from './stats-view.js';
import { StockWatch } from './stock-watch.js';

const RefreshMs = 1000;
const RequestTimeoutMs = 5000;

const stock = new StockWatch(document);
const form = document.getElementById('product-form');
const input = document.getElementById('product-id');
const status = document.getElementById('product-status');
const freshness = document.getElementById('freshness');

/** Watches `productId` and keeps it in the address (?product=…), so the view can be shared or reloaded. */
function watch(productId) {
  const error = StockWatch.check(productId);
  if (error) {
    status.textContent = error;
    return;
  }
  input.value = productId;
  stock.watch(productId);
  const url = new URL(window.location.href);
  url.searchParams.set('product', productId);
  window.history.replaceState(null, '', url);
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  watch(input.value.trim());
});

// Polls `url` every RefreshMs (measured from the start of each request, never two at once) and hands the JSON to `show`.
async function refresh(url, show, onError) {
  for (;;) {
    const started = performance.now();
    try {
      const response = await fetch(url, { cache: 'no-store', signal: AbortSignal.timeout(RequestTimeoutMs) });
      if (!response.ok) throw new Error(`${url} answered ${response.status}`);
      show(await response.json());
    } catch (error) {
      onError(error);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, RefreshMs - (performance.now() - started))));
  }
}

function dashboardLink() {
  // A silo serves the Orleans dashboard; a standalone Api host does not (the host leaves data-dashboard empty).
  const here = document.body.dataset.dashboard !== '';
  document.getElementById('dashboard-link').hidden = !here;
  document.getElementById('dashboard-elsewhere').hidden = here;
}

dashboardLink();
refresh('/api/ops/stats', (stats) => {
  showStats(stats);
  freshness.textContent = `Updated ${clock(new Date())}`;
  freshness.classList.remove('stale');
}, (error) => {
  freshness.textContent = `Cluster stats unavailable (${error.message}); retrying`;
  freshness.classList.add('stale');
});
refresh('/api/low-stock', (list) => showLowStock(list, watch), () => {});

const initial = new URLSearchParams(window.location.search).get('product');
if (initial) watch(initial.trim());
