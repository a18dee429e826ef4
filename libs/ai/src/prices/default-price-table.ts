import shippedPrices from '../../data/ai-prices.json';
import { PriceTable } from './price-table';

/**
 * The price table shipped with the suite (`libs/ai/data/ai-prices.json`, bundled into the
 * build), or the file `AI_PRICES_FILE` names instead.
 */
export function loadPriceTable(pricesFile?: string): PriceTable {
  return pricesFile
    ? PriceTable.fromFile(pricesFile)
    : PriceTable.fromJson(shippedPrices, 'libs/ai/data/ai-prices.json');
}
