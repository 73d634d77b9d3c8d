/**
 * The shapes the signing-credential surfaces exchange with their resolvers: the signer's own
 * authenticator in the impact panel, and the list and reset on the admin page. Imported by
 * src/contract/resolvers.ts and by static/; keep it free of Node and @forge imports.
 */
import { z } from 'zod';
import { InstantSchema, SignerSchema } from '../domain/model';
import { CredentialStatusSchema, SignatureCodeSchema } from '../domain/signing-credential';

/** The signer's own credential as the panel shows it; `none` also after an admin reset. */
export const SigningStatusSchema = z.strictObject({
  status: z.enum(['none', 'pending', 'enrolled', 'locked']),
  /** Failed codes the person may still enter before signing locks. */
  attemptsLeft: z.number().int().nonnegative(),
  enrolledAt: InstantSchema.optional(),
  lockedAt: InstantSchema.optional(),
});
export type SigningStatus = z.infer<typeof SigningStatusSchema>;

/** Shown once, when enrolment starts; the secret is never sent to a browser again. */
export const EnrolmentSchema = z.strictObject({
  otpauthUri: z.string().startsWith('otpauth://totp/'),
  /** The otpauth URI as a QR code: an SVG document, shown as an image. */
  qrSvg: z.string().startsWith('<svg'),
  /** The secret for typing into an authenticator by hand. */
  secretBase32: z.string().regex(/^[A-Z2-7]+$/),
});
export type Enrolment = z.infer<typeof EnrolmentSchema>;

/** One person's credential as the admin page lists it. */
export const CredentialSummarySchema = z.strictObject({
  accountId: SignerSchema.shape.accountId,
  displayName: SignerSchema.shape.displayName,
  status: CredentialStatusSchema,
  startedAt: InstantSchema,
  enrolledAt: InstantSchema.optional(),
  /** When the step of the last accepted code began: about when the person last signed or confirmed. */
  lastCodeAt: InstantSchema.optional(),
  /** Failed codes in the last 15 minutes. */
  recentFailures: z.number().int().nonnegative(),
  lockedAt: InstantSchema.optional(),
  resetAt: InstantSchema.optional(),
  resetBy: z.string().optional(),
});
export type CredentialSummary = z.infer<typeof CredentialSummarySchema>;

export const SIGNING_CONTRACT = {
  // Impact panel: the person's own authenticator; who they are comes from the Forge context.
  'signing/status': { input: z.strictObject({}), output: SigningStatusSchema },
  'signing/enrol-start': { input: z.strictObject({}), output: EnrolmentSchema },
  'signing/enrol-confirm': { input: z.strictObject({ code: SignatureCodeSchema }), output: SigningStatusSchema },
  // Admin page: Jira admins only.
  'admin/signing/list': { input: z.strictObject({}), output: z.array(CredentialSummarySchema).max(10_000) },
  'admin/signing/reset': {
    input: z.strictObject({ accountId: SignerSchema.shape.accountId }),
    output: CredentialSummarySchema,
  },
} as const;
