import { tokens } from '@fluentui/react-components';

// The layout the list pages share (Mappings, Needs attention): a column of sections, and a heading row whose
// actions wrap under the title on a narrow window. Spread into each page's makeStyles.
export const pageLayout = {
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '1400px' },
  header: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: tokens.spacingHorizontalM },
} as const;
