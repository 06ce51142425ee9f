/** @param {number} amount */
export function formatPrice(amount) {
  return '$' + amount.toFixed(2);
}

/** @param {number} ratio */
export function formatPercent(ratio) {
  return (ratio * 100).toFixed(1) + '%';
}

/** @param {number} amount */
export function isFree(amount) {
  if (amount === 0) {
    return true;
  } else {
    return false;
  }
}

/**
 * @param {string} label
 * @param {number} amount
 */
export function priceTag(label, amount) {
  let text = label + ': ' + formatPrice(amount);
  return { label: label, text: text };
}
