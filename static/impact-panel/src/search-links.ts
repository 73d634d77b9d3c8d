/**
 * The impact panel's search links: for each affected product and market, Jira's issue
 * search for all open quality records affecting it, on the site the app runs in. Pure, so
 * it is tested without a browser; the JQL comes from the app's one builder.
 */
import { impactSearchJql, issueSearchUrl } from '../../../src/services/impact-search';

export interface SearchLink {
  label: string;
  href: string;
}

export const searchLinksFor = (
  siteUrl: string,
  affected: { productIds: readonly string[]; markets: readonly string[] },
): SearchLink[] => [
  ...[...affected.productIds].sort().map((productId) => ({
    label: `All open quality records affecting product ${productId}`,
    href: issueSearchUrl(siteUrl, impactSearchJql({ openOnly: true, productIds: [productId] })),
  })),
  ...[...affected.markets].sort().map((market) => ({
    label: `All open quality records affecting market ${market}`,
    href: issueSearchUrl(siteUrl, impactSearchJql({ openOnly: true, markets: [market] })),
  })),
];
