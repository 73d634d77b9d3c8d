/**
 * The descriptions of the RIM issues the panel creates, as Atlassian Document Format built
 * with @atlaskit/adf-utils' builders (Jira v3 takes ADF, never plain text or wiki markup).
 */
import { bulletList, doc, listItem, paragraph, strong } from '@atlaskit/adf-utils/builders';

/** An ADF document, as the builders type it. */
export type AdfDoc = ReturnType<typeof doc>;

const item = (label: string, value: string) => listItem([paragraph(strong(`${label}: `), value)]);

export interface SubmissionDescriptionInput {
  recordKey: string;
  recordSummary: string;
  product: { id: string; name: string };
  application: { id: string; number: string; type: string };
  market: string;
  category: string;
  citations: readonly string[];
  decidedBy: string;
  decidedAt: string;
  rationale: string;
}

export const submissionDescription = (input: SubmissionDescriptionInput): AdfDoc =>
  doc(
    paragraph(
      `Planned from the quality record ${input.recordKey} (${input.recordSummary}) by the regulatory decision below.`,
    ),
    bulletList(
      item('Product', `${input.product.name} (${input.product.id})`),
      item('Application', `${input.application.number} (${input.application.type}, ${input.application.id})`),
      item('Market', input.market),
      item('Filing category', input.category),
      item('Quality record', input.recordKey),
      item('Decided by', `${input.decidedBy}, ${input.decidedAt}`),
      item('Rationale', input.rationale),
      item('Citations', input.citations.length > 0 ? input.citations.join('; ') : 'none'),
    ),
  );

export interface CommitmentDescriptionInput {
  recordKey: string;
  recordSummary: string;
  market: string;
  application?: { id: string; number: string } | undefined;
  dueDate: string;
  description: string;
}

export const commitmentDescription = (input: CommitmentDescriptionInput): AdfDoc =>
  doc(
    ...(input.description.trim() === '' ? [] : [paragraph(input.description.trim())]),
    bulletList(
      item('Market', input.market),
      item(
        'Application',
        input.application ? `${input.application.number} (${input.application.id})` : 'not tied to one application',
      ),
      item('Due date', input.dueDate),
      item('Raised from', `${input.recordKey} (${input.recordSummary})`),
    ),
  );
