// Small DOM helpers shared by the storefront's modules.
export const $ = (id) => document.getElementById(id);

export const money = ({ amount, currency }) =>
  new Intl.NumberFormat(undefined, { style: "currency", currency }).format(amount / 100);

export function notify(message) {
  $("notice").textContent = message;
  $("notice").hidden = !message;
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (value !== undefined && value !== false)
      node.setAttribute(name, value === true ? "" : value);
  }
  node.append(...children.filter((c) => c !== undefined && c !== null));
  return node;
}

export async function guarded(action) {
  try {
    notify("");
    await action();
  } catch (error) {
    notify(error.message);
  }
}
