// The storefront: catalog (paged), cart, checkout with a test card token, my orders, one
// order's timeline advancing live, cancel. Plain ES modules, no build step.
import * as api from "./api.js";
import { $, el, guarded, money } from "./dom.js";
import { createLiveStatus } from "./live.js";

const CANCELLABLE = new Set(["Pending", "InventoryReserved", "PaymentAuthorized", "Confirmed"]);

const state = {
  pages: [undefined], // continuation tokens of the catalog pages seen (undefined = first)
  page: 0,
  nextToken: null,
  products: new Map(),
  cart: new Map(), // sku → quantity
  orders: new Map(),
  ordersToken: null,
  watched: null, // the order shown with its timeline
  checkoutKey: crypto.randomUUID(),
};

// Catalog ------------------------------------------------------------------------------------
async function showCatalogPage(index) {
  const page = await api.listProducts(state.pages[index]);
  state.page = index;
  state.nextToken = page.continuationToken;
  if (page.continuationToken && state.pages.length === index + 1)
    state.pages.push(page.continuationToken);
  $("products").replaceChildren(
    ...page.items.map((product) => {
      state.products.set(product.sku, product);
      return el(
        "li",
        { "data-sku": product.sku },
        el(
          "div",
          {},
          el("div", { class: "name" }, product.name),
          el(
            "div",
            { class: "meta" },
            `${money(product.price)} · ${product.available > 0 ? `${product.available} left` : "sold out"}`,
          ),
        ),
        el(
          "button",
          {
            type: "button",
            "data-test": "add",
            disabled: product.available <= 0,
            onclick: () => addToCart(product.sku),
          },
          "Add",
        ),
      );
    }),
  );
  $("first-page").disabled = index === 0;
  $("next-page").disabled = !page.continuationToken;
}

// Cart ---------------------------------------------------------------------------------------
function addToCart(sku, delta = 1) {
  const quantity = (state.cart.get(sku) ?? 0) + delta;
  if (quantity <= 0) state.cart.delete(sku);
  else state.cart.set(sku, Math.min(quantity, 100));
  renderCart();
}

function renderCart() {
  const lines = [...state.cart].map(([sku, quantity]) => ({
    product: state.products.get(sku),
    sku,
    quantity,
  }));
  $("cart-lines").replaceChildren(
    ...lines.map(({ product, sku, quantity }) =>
      el(
        "li",
        { "data-sku": sku },
        el("span", {}, product?.name ?? sku),
        el(
          "span",
          { class: "qty" },
          el(
            "button",
            {
              type: "button",
              class: "quiet",
              "aria-label": "One less",
              onclick: () => addToCart(sku, -1),
            },
            "−",
          ),
          el("span", { "data-test": "quantity" }, String(quantity)),
          el(
            "button",
            {
              type: "button",
              class: "quiet",
              "aria-label": "One more",
              onclick: () => addToCart(sku, 1),
            },
            "+",
          ),
        ),
      ),
    ),
  );
  const currency = lines[0]?.product?.price.currency ?? "USD";
  const amount = lines.reduce((sum, l) => sum + (l.product?.price.amount ?? 0) * l.quantity, 0);
  $("cart-total").textContent = lines.length ? money({ amount, currency }) : "–";
  $("place-order").disabled = lines.length === 0;
  $("cart-empty").hidden = lines.length > 0;
}

async function checkout(form) {
  const data = new FormData(form);
  const currency = state.products.get([...state.cart.keys()][0])?.price.currency ?? "USD";
  const accepted = await api.placeOrder(
    {
      email: data.get("email"),
      currency,
      items: [...state.cart].map(([sku, quantity]) => ({ sku, quantity })),
      payment: { method: "card", token: data.get("token") },
      shippingAddress: {
        name: data.get("name"),
        line1: data.get("line1"),
        city: data.get("city"),
        postalCode: data.get("postalCode"),
        country: String(data.get("country")).toUpperCase(),
      },
    },
    state.checkoutKey,
  );
  state.cart.clear();
  state.checkoutKey = crypto.randomUUID();
  renderCart();
  await watch(accepted.orderId);
  // Stock moved: show what is left now.
  await Promise.all([refreshOrders(), showCatalogPage(state.page)]);
}

// Orders -------------------------------------------------------------------------------------
async function refreshOrders(more = false) {
  const page = await api.listOrders(more ? state.ordersToken : undefined);
  if (!more) state.orders.clear();
  for (const order of page.items) state.orders.set(order.orderId, order);
  state.ordersToken = page.continuationToken;
  $("more-orders").hidden = !page.continuationToken;
  // As for the watched order: pushes newer than this read still count.
  for (const order of page.items)
    for (const change of recentChanges.get(order.orderId) ?? []) applyChange(change);
  renderOrders();
}

function renderOrders() {
  const orders = [...state.orders.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  $("order-list").replaceChildren(
    ...orders.map((order) =>
      el(
        "li",
        { "data-order": order.orderId, onclick: () => guarded(() => watch(order.orderId)) },
        el(
          "span",
          {},
          el("div", {}, order.orderId.slice(0, 8)),
          el(
            "div",
            { class: "meta" },
            `${new Date(order.createdAt).toLocaleString()} · ${money(order.total)}`,
          ),
        ),
        el("span", { class: "status", "data-status": order.status }, order.status),
      ),
    ),
  );
}

async function watch(orderId) {
  const order = await api.getOrder(orderId);
  state.watched = { ...order, via: new Map(order.timeline.map((e) => [key(e), "read"])) };
  // Pushes that came while the read was on its way found no watched order; those newer than
  // the read still count (a quick saga can be done before the read's answer arrives).
  for (const change of recentChanges.get(orderId) ?? []) applyChange(change);
  renderWatched();
  $("order").hidden = false;
  $("order").scrollIntoView({ block: "start" });
}

const key = (entry) => `${entry.status}@${entry.at}`;

function renderWatched() {
  const order = state.watched;
  if (!order) return;
  $("order-title").textContent = `Order ${order.orderId.slice(0, 8)}`;
  $("order-status").textContent = order.status;
  $("order-status").dataset.status = order.status;
  $("order-reason").hidden = !order.failureReason;
  $("order-reason").textContent = order.failureReason ?? "";
  $("timeline").replaceChildren(
    ...order.timeline.map((entry) =>
      el(
        "li",
        { "data-status": entry.status, "data-via": order.via.get(key(entry)) ?? "read" },
        entry.status,
        el("time", { datetime: entry.at }, new Date(entry.at).toLocaleTimeString()),
      ),
    ),
  );
  $("cancel-order").hidden = !CANCELLABLE.has(order.status);
}

/** The last pushes per order, for an order whose read is still on its way (see watch). */
const recentChanges = new Map();
const RECENT_ORDERS = 20;
const RECENT_CHANGES_PER_ORDER = 10;

function remember(change) {
  const changes = recentChanges.get(change.orderId) ?? [];
  recentChanges.delete(change.orderId);
  recentChanges.set(change.orderId, [...changes, change].slice(-RECENT_CHANGES_PER_ORDER));
  if (recentChanges.size > RECENT_ORDERS) recentChanges.delete(recentChanges.keys().next().value);
}

function onPush(change) {
  remember(change);
  applyChange(change);
}

/**
 * A pushed change: update the list, and the watched order's timeline when it is that order;
 * a change older than what the page shows is ignored.
 */
function applyChange(change) {
  const listed = state.orders.get(change.orderId);
  if (listed && !(change.updatedAt < listed.updatedAt)) {
    state.orders.set(change.orderId, {
      ...listed,
      status: change.status,
      updatedAt: change.updatedAt,
    });
    renderOrders();
  }
  const order = state.watched;
  if (!order || order.orderId !== change.orderId || change.updatedAt < order.updatedAt) return;
  const entry = { at: change.at, status: change.status };
  if (!order.via.has(key(entry))) {
    order.timeline = [...order.timeline, entry].sort((a, b) => a.at.localeCompare(b.at));
    order.via.set(key(entry), "push");
  }
  Object.assign(order, {
    status: change.status,
    failureReason: change.failureReason,
    updatedAt: change.updatedAt,
  });
  renderWatched();
}

/**
 * After a reconnect, a cancel, or while polling: the stored order is the truth, unless a push
 * newer than this read came while it was on its way (a slow read must not roll the page back).
 */
async function resync() {
  const orderId = state.watched?.orderId;
  if (!orderId) return;
  const fresh = await api.getOrder(orderId).catch(() => undefined);
  const order = state.watched;
  if (!fresh || order?.orderId !== fresh.orderId || fresh.updatedAt < order.updatedAt) return;
  for (const entry of fresh.timeline)
    if (!order.via.has(key(entry))) order.via.set(key(entry), "read");
  Object.assign(order, { ...fresh, via: order.via });
  renderWatched();
}

const live = createLiveStatus({
  onChange: onPush,
  onResync: () => void resync(),
  onState: (s) => {
    $("live-state").dataset.state = s;
    $("live-state").textContent = { live: "Live", polling: "Polling", off: "" }[s];
  },
});

// Wiring -------------------------------------------------------------------------------------
async function useIdentity(customerId) {
  api.identity.customerId = customerId;
  api.identity.token = $("bearer-token").value.trim();
  localStorage.setItem("customerId", customerId);
  state.watched = null;
  $("order").hidden = true;
  $("shop").hidden = false;
  await Promise.all([showCatalogPage(0), refreshOrders(), live.start()]);
}

$("identity").addEventListener("submit", (event) => {
  event.preventDefault();
  void guarded(() => useIdentity($("customer-id").value.trim()));
});
$("first-page").addEventListener("click", () => void guarded(() => showCatalogPage(0)));
$("next-page").addEventListener("click", () => void guarded(() => showCatalogPage(state.page + 1)));
$("more-orders").addEventListener("click", () => void guarded(() => refreshOrders(true)));
$("checkout").addEventListener("submit", (event) => {
  event.preventDefault();
  $("place-order").disabled = true;
  // Busy until the order, the list and the catalog are all re-read and shown.
  event.target.setAttribute("aria-busy", "true");
  void guarded(() => checkout(event.target)).finally(() => {
    event.target.removeAttribute("aria-busy");
    renderCart();
  });
});
$("cancel-order").addEventListener(
  "click",
  () =>
    void guarded(async () => {
      await api.cancelOrder(state.watched.orderId);
      await resync();
    }),
);

renderCart();
const remembered = localStorage.getItem("customerId");
if (remembered) {
  $("customer-id").value = remembered;
  void guarded(() => useIdentity(remembered));
}
