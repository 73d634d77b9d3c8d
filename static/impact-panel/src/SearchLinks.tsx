/**
 * Links from the impact panel to Jira's issue search: all open quality records affecting
 * each product and market this record affects. The site URL comes from the Forge context;
 * the search runs in Jira as the person, so it shows only what they may browse.
 */
import { token } from '@atlaskit/tokens';
import { view } from '@forge/bridge';
import { useEffect, useState } from 'react';
import type { PanelImpact } from '../../../src/contract/resolvers';
import { searchLinksFor } from './search-links';

export const SearchLinks = ({ impact }: { impact: PanelImpact }) => {
  const [siteUrl, setSiteUrl] = useState<string | undefined>(undefined);
  useEffect(() => {
    let live = true;
    void view
      .getContext()
      .then((context) => {
        if (live && typeof context.siteUrl === 'string' && context.siteUrl !== '') setSiteUrl(context.siteUrl);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  const links = siteUrl === undefined ? [] : searchLinksFor(siteUrl, impact.affected);
  if (links.length === 0) return null;
  return (
    <nav aria-labelledby="impact-search-heading">
      <h3
        id="impact-search-heading"
        style={{
          font: token('font.heading.small', 'normal 653 16px/20px system-ui, sans-serif'),
          margin: `${token('space.200', '16px')} 0 ${token('space.100', '8px')}`,
        }}
      >
        Related quality records
      </h3>
      <ul style={{ margin: 0, paddingLeft: token('space.250', '20px') }}>
        {links.map((link) => (
          <li key={link.href}>
            <a href={link.href} target="_blank" rel="noreferrer" style={{ color: token('color.link', '#0C66E4') }}>
              {link.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
};
