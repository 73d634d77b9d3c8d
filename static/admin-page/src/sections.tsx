/**
 * Building blocks the admin page's sections share: the message box, the section frame and
 * the text styles. Each section is its own component in its own file and App lists them, so
 * a new section (e.g. backfill progress) is one file and one line in App.
 */
import { token } from '@atlaskit/tokens';
import type { CSSProperties, ReactNode } from 'react';

export const text: CSSProperties = {
  color: token('color.text', '#172B4D'),
  font: token('font.body', 'normal 400 14px/20px system-ui, sans-serif'),
};
export const subtle: CSSProperties = { color: token('color.text.subtle', '#44546F') };
export const heading: CSSProperties = {
  font: token('font.heading.medium', 'normal 653 20px/24px system-ui, sans-serif'),
  margin: `${token('space.300', '24px')} 0 ${token('space.100', '8px')}`,
};
export const subheading: CSSProperties = {
  font: token('font.heading.small', 'normal 653 16px/20px system-ui, sans-serif'),
  margin: `${token('space.200', '16px')} 0 ${token('space.100', '8px')}`,
};
export const cell: CSSProperties = {
  textAlign: 'left',
  verticalAlign: 'top',
  padding: `${token('space.050', '4px')} ${token('space.100', '8px')}`,
  borderBottom: `1px solid ${token('color.border', '#091E4224')}`,
};
export const control: CSSProperties = {
  ...text,
  background: token('color.background.input', '#FFFFFF'),
  border: `1px solid ${token('color.border.input', '#8590A2')}`,
  borderRadius: token('radius.small', '3px'),
  padding: token('space.050', '4px'),
};

export const Message = ({
  tone,
  title,
  children,
}: {
  tone: 'info' | 'error' | 'success';
  title: string;
  children?: ReactNode;
}) => (
  <div
    role={tone === 'error' ? 'alert' : 'status'}
    style={{
      background: token(
        tone === 'error'
          ? 'color.background.danger'
          : tone === 'success'
            ? 'color.background.success'
            : 'color.background.information',
        tone === 'error' ? '#FFECEB' : tone === 'success' ? '#DCFFF1' : '#E9F2FF',
      ),
      padding: token('space.150', '12px'),
      borderRadius: token('radius.small', '3px'),
      margin: `${token('space.100', '8px')} 0`,
    }}
  >
    <strong>{title}</strong>
    {children === undefined ? null : <div>{children}</div>}
  </div>
);

export const Section = ({ id, title, children }: { id: string; title: string; children: ReactNode }) => (
  <section aria-labelledby={`${id}-heading`}>
    <h2 id={`${id}-heading`} style={heading}>
      {title}
    </h2>
    {children}
  </section>
);
