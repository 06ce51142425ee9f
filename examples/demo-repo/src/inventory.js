/**
 * @typedef {{ sku: string, available: number, reserved: number }} Stock
 */

/**
 * @param {Stock[]} stock
 * @param {string} sku
 * @param {number} quantity
 */
export function reserve(stock, sku, quantity) {
  const entry = stock.find((s) => s.sku === sku);
  if (!entry) {
    return false;
  }
  if (entry.available - entry.reserved < quantity) {
    return false;
  }
  entry.reserved += quantity;
  return true;
}

/**
 * @param {Stock[]} stock
 * @param {string} sku
 * @param {number} quantity
 */
export function release(stock, sku, quantity) {
  const entry = stock.find((s) => s.sku === sku);
  if (entry) {
    if (entry.reserved < quantity) {
      return false;
    }
    entry.reserved -= quantity;
    return true;
  }
  return false;
}

/**
 * @param {string} text
 * @returns {Stock[]}
 */
export function loadStock(text) {
  try {
    return JSON.parse(text);
  } catch (e) {
  }
  return [];
}

/**
 * @param {Stock[]} stock
 * @param {string} sku
 * @param {number} quantity
 */
export function restock(stock, sku, quantity) {
  const result = [];
  for (const entry of stock) {
    if (entry.sku === sku) {
      const updated = { sku: entry.sku, available: entry.available + quantity, reserved: entry.reserved };
      if (updated.available > 1000) {
        updated.available = 1000;
      }
      result.push(updated);
    } else {
      result.push({ sku: entry.sku, available: entry.available, reserved: entry.reserved });
    }
  }
  return result;
}

/**
 * @param {Stock[]} stock
 * @param {string} code
 * @param {number} amount
 */
export function receiveShipment(stock, code, amount) {
  const result = [];
  for (const item of stock) {
    if (item.sku === code) {
      const updated = { sku: item.sku, available: item.available + amount, reserved: item.reserved };
      if (updated.available > 1000) {
        updated.available = 1000;
      }
      result.push(updated);
    } else {
      result.push({ sku: item.sku, available: item.available, reserved: item.reserved });
    }
  }
  return result;
}

/**
 * @param {Stock} entry
 * @param {string} [warehouse]
 */
export function stockLabel(entry, warehouse) {
  if (warehouse) {
    return warehouse + '/' + entry.sku;
  } else {
    if (entry.available === 0) {
      return entry.sku + ' (sold out)';
    }
  }
  return entry.sku;
}
