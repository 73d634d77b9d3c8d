/** The impact panel's links to Jira's issue search, without a browser. */
import { searchLinksFor } from '../../static/impact-panel/src/search-links';

describe('impact panel search links', () => {
  it('links each affected product and market, sorted, to the open quality records affecting it, on the site', () => {
    const links = searchLinksFor('https://acme.atlassian.net', {
      productIds: ['PRD-CARDIOLOL'],
      markets: ['US', 'EU'],
    });
    expect(links.map((l) => l.label)).toEqual([
      'All open quality records affecting product PRD-CARDIOLOL',
      'All open quality records affecting market EU',
      'All open quality records affecting market US',
    ]);
    const [product] = links;
    const url = new URL(product?.href ?? '');
    expect(url.origin + url.pathname).toBe('https://acme.atlassian.net/issues/');
    expect(url.searchParams.get('jql')).toBe(
      'statusCategory != Done AND qmsrimProduct = "PRD-CARDIOLOL" ORDER BY key ASC',
    );
  });

  it('offers no link for a record that affects nothing yet', () => {
    expect(searchLinksFor('https://acme.atlassian.net', { productIds: [], markets: [] })).toEqual([]);
  });
});
